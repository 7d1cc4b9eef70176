import Foundation
import Testing

extension EndToEnd {
    /// A hostile tenant, or anyone on the corporate network, sending traffic at another tenant's
    /// private addresses through the external network: the edge forwards from its uplink only what
    /// NAT created.
    @Suite struct HostileTrafficTests {
        @Test func privateSubnetsAreUnreachableThroughTheExternalNetworkExceptByFloatingIP() async throws {
            try await SimulatedCloud.withCloud { cloud in
                try await cloud.start(hostCount: 2, edgeCount: 1)
                let corp = try await RouterTests.corp(cloud)
                let acme = try await RouterTests.tenantNetwork(cloud, name: "acme", corp: corp, webCIDR: "10.0.0.0/24", dbCIDR: "10.1.0.0/24")
                let globex = try await RouterTests.tenantNetwork(cloud, name: "globex", corp: corp, webCIDR: "10.5.0.0/24", dbCIDR: "10.6.0.0/24")
                try await cloud.port("a", on: acme.web, host: 1, ip: "10.0.0.10")
                let g = try await cloud.port("g", on: globex.web, host: 2, ip: "10.5.0.10")
                try await cloud.startPeerEcho(in: "w-g", port: 7000)
                try await cloud.startPeerEcho(in: "ext", port: 8000)
                try await cloud.eventually("g reaches the outside") { await cloud.peerSeen(from: "w-g", "203.0.113.1", port: 8000) != nil }

                // acme may not route globex's subnet via globex's uplink: the API refuses the next hop.
                let refused = try await cloud.api("POST", "/routers/\(acme.router)/routes", ["destination": "10.5.0.0/24", "nexthop": globex.uplink])
                #expect((refused["error"] as? [String: Any])?["code"] as? String == "nexthop_forbidden", "\(refused)")

                // A host on the corporate network can: the edge must still drop it.
                _ = try await SimulatedCloud.run(["ip", "-n", cloud.namespace("ext"), "route", "add", "10.5.0.0/24", "via", globex.uplink])
                #expect(!(await cloud.pingsFrom("ext", "10.5.0.10")), "the outside pinged globex's private address")
                #expect(await cloud.peerSeen(from: "ext", "10.5.0.10", port: 7000) == nil, "the outside connected to globex's private address")
                // The uplink address itself answers pings; replies of g's own connections still come back.
                #expect(await cloud.pingsFrom("ext", globex.uplink))
                #expect(await cloud.peerSeen(from: "w-g", "203.0.113.1", port: 8000) == globex.uplink)

                // What NAT creates passes: a floating IP reaches g.
                let floating = try await cloud.api("POST", "/floating-ips", ["tenant": globex.tenant, "externalNetwork": corp, "port": g])
                let address = floating["address"] as? String ?? ""
                try await cloud.eventually("the outside reaches g on \(address)") { await cloud.peerSeen(from: "ext", address, port: 7000) != nil }
                #expect(await cloud.peerSeen(from: "ext", "10.5.0.10", port: 7000) == nil, "the private address stays closed")
            }
        }

        /// A workload that forges its source address or MAC reaches nobody, and its frames never leave
        /// its host; with its own MAC and address back, it talks again.
        @Test func aWorkloadCannotSendFromAnAddressOrMACThatIsNotItsPorts() async throws {
            try await SimulatedCloud.withCloud { cloud in
                try await cloud.start(hostCount: 2)
                let acme = try await cloud.api("POST", "/tenants", ["name": "acme"])["id"] as? String ?? ""
                let web = try await cloud.api("POST", "/switches", ["tenant": acme, "name": "web", "cidr": "10.0.0.0/24"])["id"] as? String ?? ""
                try await cloud.port("a", on: web, host: 1, ip: "10.0.0.10")
                try await cloud.port("b", on: web, host: 2, ip: "10.0.0.11")
                try await cloud.eventually("a reaches b") { await cloud.pings(from: "a", "10.0.0.11") }
                let table = try await SimulatedCloud.run(["ip", "netns", "exec", cloud.namespace("hv1"), "nft", "list", "table", "bridge",
                                                          "sy-portguard"]).output
                #expect(table.contains("10.0.0.10"), "hv1 pins a's address: \(table)")

                func ping(from source: String?) async -> Bool {
                    let options = source.map { ["-I", $0] } ?? []
                    let arguments = ["ip", "netns", "exec", cloud.namespace("w-a"), "ping", "-c", "3", "-W", "1", "-i", "0.2"] + options
                    return (try? await SimulatedCloud.run(arguments + ["10.0.0.11"], check: false).status) == 0
                }
                // Another address of the switch's subnet, which no port holds.
                _ = try await SimulatedCloud.run(["ip", "-n", cloud.namespace("w-a"), "addr", "add", "10.0.0.99/32", "dev", "eth0"])
                let forgedAddress = try await cloud.overlayFrames(on: "hv1", touching: ["10.0.0.99"]) {
                    #expect(!(await ping(from: "10.0.0.99")), "a pinged b from a forged address")
                }
                #expect(forgedAddress == 0, "frames from a forged address crossed the overlay")

                // Another MAC, with its own address.
                let mac = try await SimulatedCloud.run(["ip", "netns", "exec", cloud.namespace("w-a"), "cat", "/sys/class/net/eth0/address"])
                    .output.trimmingCharacters(in: .whitespacesAndNewlines)
                _ = try await SimulatedCloud.run(["ip", "-n", cloud.namespace("w-a"), "neigh", "flush", "dev", "eth0"])
                _ = try await SimulatedCloud.run(["ip", "-n", cloud.namespace("w-a"), "link", "set", "eth0", "address", "02:de:ad:be:ef:01"])
                let forgedMAC = try await cloud.overlayFrames(on: "hv1", touching: ["10.0.0.10"]) {
                    #expect(!(await ping(from: nil)), "a pinged b from a forged MAC")
                }
                #expect(forgedMAC == 0, "frames from a forged MAC crossed the overlay")

                _ = try await SimulatedCloud.run(["ip", "-n", cloud.namespace("w-a"), "link", "set", "eth0", "address", mac])
                try await cloud.eventually("a reaches b again as itself") { await ping(from: nil) }
            }
        }
    }
}
