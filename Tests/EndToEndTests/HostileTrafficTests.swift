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
    }
}
