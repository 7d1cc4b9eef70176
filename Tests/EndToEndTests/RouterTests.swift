import Foundation
import Testing

extension EndToEnd {
    /// Logical routers on a 3-compute + 2-edge cloud: distributed routing between switches, SNAT and
    /// floating IPs through the edge, tenant isolation, static routes, and edge failover.
    @Suite struct RouterTests {
        /// The ids of one tenant's network: two switches on a router with an uplink on `corp`.
        struct TenantNetwork {
            var tenant = "", web = "", db = "", router = "", uplink = ""
        }

        static func tenantNetwork(_ cloud: SimulatedCloud, name: String, corp: String, webCIDR: String, dbCIDR: String) async throws -> TenantNetwork {
            var network = TenantNetwork()
            network.tenant = try await cloud.api("POST", "/tenants", ["name": name])["id"] as? String ?? ""
            network.web = try await cloud.api("POST", "/switches", ["tenant": network.tenant, "name": "web", "cidr": webCIDR])["id"] as? String ?? ""
            network.db = try await cloud.api("POST", "/switches", ["tenant": network.tenant, "name": "db", "cidr": dbCIDR])["id"] as? String ?? ""
            let router = try await cloud.api("POST", "/routers", ["tenant": network.tenant, "name": "edge", "externalNetwork": corp])
            network.router = router["id"] as? String ?? ""
            network.uplink = router["uplinkIp"] as? String ?? ""
            for sw in [network.web, network.db] {
                _ = try await cloud.api("POST", "/routers/\(network.router)/interfaces", ["switch": sw])
            }
            return network
        }

        static func corp(_ cloud: SimulatedCloud) async throws -> String {
            try await cloud.api("POST", "/external-networks", ["name": "corp", "cidr": "203.0.113.0/24", "gateway": "203.0.113.1",
                                                               "poolStart": "203.0.113.10", "poolEnd": "203.0.113.99"])["id"] as? String ?? ""
        }

        @Test func routingSNATFloatingIPsIsolationAndStaticRoutes() async throws {
            try await SimulatedCloud.withCloud { cloud in
                try await cloud.start(hostCount: 3, edgeCount: 2)
                // Every agent says what its kernel offers (this one has no VRF: namespace), and runs
                // routers as namespaces either way.
                let hasVRF = FileManager.default.fileExists(atPath: "/sys/module/vrf")
                for host in cloud.hosts {
                    let status = try await cloud.api("GET", "/hosts/\(host)")["status"] as? [String: Any]
                    #expect(status?["routingDomain"] as? String == (hasVRF ? "vrf" : "namespace"))
                }
                let corp = try await Self.corp(cloud)
                let acme = try await Self.tenantNetwork(cloud, name: "acme", corp: corp, webCIDR: "10.0.0.0/24", dbCIDR: "10.1.0.0/24")
                let globex = try await Self.tenantNetwork(cloud, name: "globex", corp: corp, webCIDR: "10.0.0.0/24", dbCIDR: "10.2.0.0/24")
                let a = try await cloud.port("a", on: acme.web, host: 1, ip: "10.0.0.10")
                let b = try await cloud.port("b", on: acme.db, host: 2, ip: "10.1.0.10")
                let g = try await cloud.port("g", on: globex.web, host: 3, ip: "10.0.0.10")
                let h = try await cloud.port("h", on: globex.db, host: 1, ip: "10.2.0.10")
                try await cloud.startPeerEcho(in: "ext", port: 8000)

                // East-west: routed on the sending host, never through an edge host.
                try await cloud.eventually("a reaches b through the router") { await cloud.pings(from: "a", "10.1.0.10") }
                try await cloud.startPeerEcho(in: "w-b", port: 7000)
                // hv2 (b's host) is the control: the capture must see the traffic where it does go.
                var seen: [String: Int] = [:]
                for host in ["hv4", "hv5", "hv2"] {
                    seen[host] = try await cloud.overlayFrames(on: host, touching: ["10.0.0.10", "10.1.0.10"]) {
                        #expect(await cloud.pings(from: "a", "10.1.0.10", count: 20))
                        #expect(await cloud.peerSeen(from: "w-a", "10.1.0.10", port: 7000) == "10.0.0.10", "TCP across switches")
                    }
                }
                #expect(seen["hv4"] == 0 && seen["hv5"] == 0, "east-west traffic reached an edge host: \(seen)")
                #expect(seen["hv2"] ?? 0 >= 20, "the capture saw too little on b's host: \(seen)")
                // The anycast gateway MAC never lands in another host's FDB.
                let gatewayMACs = try await SimulatedCloud.run(["ip", "-n", cloud.namespace("r1-\(acme.router)"), "link", "show"]).output
                let hv2FDB = try await SimulatedCloud.run(["ip", "netns", "exec", cloud.namespace("hv2"), "bridge", "fdb", "show"]).output
                for mac in gatewayMACs.split(separator: " ").filter({ $0.hasPrefix("0e:") && $0.count == 17 }) {
                    #expect(!hv2FDB.contains("\(mac) dev syvx"), "gateway MAC \(mac) learned over VXLAN on hv2")
                }

                // SNAT: the external listener sees each tenant's own uplink address, for the same private CIDR.
                try await cloud.eventually("a reaches the external listener") { await cloud.peerSeen(from: "w-a", "203.0.113.1", port: 8000) != nil }
                #expect(await cloud.peerSeen(from: "w-a", "203.0.113.1", port: 8000) == acme.uplink)
                try await cloud.eventually("g reaches the external listener") { await cloud.peerSeen(from: "w-g", "203.0.113.1", port: 8000) != nil }
                #expect(await cloud.peerSeen(from: "w-g", "203.0.113.1", port: 8000) == globex.uplink)
                #expect(acme.uplink != globex.uplink)

                // Isolation: acme cannot reach globex's private addresses (10.2.0.10 exists only in globex).
                #expect(!(await cloud.pings(from: "a", "10.2.0.10", count: 2)), "acme reached globex's private address")
                #expect(!(await cloud.pings(from: "h", "10.1.0.10", count: 2)), "globex reached acme's private address")
                // The trace agrees with the packets, both ways.
                let routed = try await cloud.trace(from: a, to: b)
                #expect(routed["verdict"] as? String == "delivered", "\(routed)")
                #expect(routed.hops.map { $0["kind"] as? String ?? "" } == ["source", "router", "switch", "tunnel", "destination"])
                #expect(routed.hops[1]["host"] as? String == "hv1" && routed.hops[4]["host"] as? String == "hv2")
                let isolated = try await cloud.trace(from: h, to: b)
                #expect(isolated["verdict"] as? String == "dropped", "\(isolated)")

                // A floating IP: the outside reaches b on it, b's replies come from it, and b goes out as it.
                let floating = try await cloud.api("POST", "/floating-ips", ["tenant": acme.tenant, "externalNetwork": corp, "port": b])
                let address = floating["address"] as? String ?? ""
                try await cloud.eventually("the outside reaches b on \(address)") { await cloud.peerSeen(from: "ext", address, port: 7000) != nil }
                #expect(await cloud.peerSeen(from: "ext", address, port: 7000) == "203.0.113.1", "DNAT keeps the caller's address")
                #expect(await cloud.peerSeen(from: "w-b", "203.0.113.1", port: 8000) == address, "b goes out as its floating IP")
                #expect(await cloud.peerSeen(from: "w-a", "203.0.113.1", port: 8000) == acme.uplink, "a still goes out as the router")
                // Another tenant reaches b only on its floating IP, through the external network, as the trace says.
                #expect(await cloud.peerSeen(from: "w-g", address, port: 7000) == globex.uplink, "globex reaches b's floating IP")
                let viaFloating = try await cloud.trace(from: g, to: address)
                #expect(viaFloating["verdict"] as? String == "delivered", "\(viaFloating)")
                #expect(viaFloating.hops.last?["object"] as? String == b && viaFloating.hops.last?["host"] as? String == "hv2")
                _ = try await cloud.api("DELETE", "/floating-ips/\(floating["id"] as? String ?? "")")
                try await cloud.eventually("\(address) stops answering") { await cloud.peerSeen(from: "ext", address, port: 7000) == nil }

                // A static route via a workload acting as a gateway: n on web forwards to 192.168.50.1 on its loopback.
                try await cloud.port("n", on: acme.web, host: 3, ip: "10.0.0.20")
                _ = try await SimulatedCloud.run(["ip", "netns", "exec", cloud.namespace("w-n"), "ip", "addr", "add", "192.168.50.1/32", "dev", "lo"])
                _ = try await cloud.api("POST", "/routers/\(acme.router)/routes", ["destination": "192.168.50.0/24", "nexthop": "10.0.0.20"])
                try await cloud.eventually("b reaches 192.168.50.1 through n") { await cloud.pings(from: "b", "192.168.50.1") }
            }
        }

        @Test func theEdgeMovesWhenItsHostIsLostAndExternalTrafficResumes() async throws {
            try await SimulatedCloud.withCloud { cloud in
                try await cloud.start(hostCount: 3, edgeCount: 2)
                let corp = try await Self.corp(cloud)
                let acme = try await Self.tenantNetwork(cloud, name: "acme", corp: corp, webCIDR: "10.0.0.0/24", dbCIDR: "10.1.0.0/24")
                try await cloud.port("a", on: acme.web, host: 1, ip: "10.0.0.10")
                try await cloud.startPeerEcho(in: "ext", port: 8000)
                try await cloud.eventually("a reaches the outside") { await cloud.pings(from: "a", "203.0.113.1") }
                let before = try await cloud.api("GET", "/routers/\(acme.router)")["edgeHost"] as? String ?? ""
                let index = try #require(cloud.hosts.firstIndex(of: before)) + 1
                #expect(index > 3, "the edge runs on an edge host")

                let movesBefore = try await cloud.scrapeController()["switchyard_edge_moves_total"] ?? -1
                let uplink = try await SimulatedCloud.run(["ip", "-n", cloud.namespace("r\(index)-\(acme.router)"), "-o", "link", "show", "uplink"])
                    .output.split(separator: " ").first { $0.hasPrefix("0e:") && $0.count == 17 }.map(String.init) ?? "?"

                // Lose the edge host: its agent dies and its uplink goes down.
                try await cloud.killProcesses(in: "hv\(index)")
                _ = try await SimulatedCloud.run(["ip", "-n", cloud.namespace("hv\(index)"), "link", "set", "ul0", "down"])
                let lost = ContinuousClock.now

                // The new edge announces the uplink (gratuitous ARP on link-up) before any traffic asks
                // for it: the external network's switch learns the router's MAC behind the new host.
                try await cloud.eventually("the uplink MAC \(uplink) is announced from the new edge host", timeout: .seconds(30)) {
                    guard let moved = try await cloud.api("GET", "/routers/\(acme.router)")["edgeHost"] as? String, moved != before,
                          let newIndex = cloud.hosts.firstIndex(of: moved).map({ $0 + 1 }) else { return false }
                    let fdb = try await SimulatedCloud.run(["ip", "netns", "exec", cloud.namespace("ul"), "bridge", "fdb", "show", "br", "ul0"]).output
                    return fdb.split(separator: "\n").contains { $0.hasPrefix(uplink) && $0.contains("dev \(cloud.prefix)h\(newIndex) ") }
                }
                try await cloud.eventually("a reaches the outside again", timeout: .seconds(30)) { await cloud.pings(from: "a", "203.0.113.1") }
                let outage = (ContinuousClock.now - lost) / .seconds(1)
                print("edge-failover-outage-s: \(String(format: "%.2f", outage))")
                #expect(outage < 10, "external connectivity came back after \(outage) s")
                let after = try await cloud.api("GET", "/routers/\(acme.router)")["edgeHost"] as? String ?? ""
                #expect(after != before && cloud.hosts.contains(after), "the API shows the new edge host")
                #expect(try await cloud.api("GET", "/hosts/\(before)")["available"] as? Bool == false, "and the lost one")
                #expect(await cloud.peerSeen(from: "w-a", "203.0.113.1", port: 8000) == acme.uplink, "the moved edge SNATs as before")
                #expect(try await cloud.scrapeController()["switchyard_edge_moves_total"] ?? 0 >= movesBefore + 1, "the move is counted")
            }
        }

        @Test func killingAnAgentKeepsRoutedTrafficFlowingAndItsRestartWritesNothing() async throws {
            try await SimulatedCloud.withCloud { cloud in
                try await cloud.start(hostCount: 2, edgeCount: 1)
                let corp = try await Self.corp(cloud)
                let acme = try await Self.tenantNetwork(cloud, name: "acme", corp: corp, webCIDR: "10.0.0.0/24", dbCIDR: "10.1.0.0/24")
                try await cloud.port("a", on: acme.web, host: 1, ip: "10.0.0.10")
                try await cloud.port("b", on: acme.db, host: 2, ip: "10.1.0.10")
                try await cloud.eventually("a reaches b through the router") { await cloud.pings(from: "a", "10.1.0.10") }
                try await cloud.eventually("a reaches the outside") { await cloud.pings(from: "a", "203.0.113.1") }

                // Routed packets while hv1's agent is killed and restarted: the router's namespace is
                // pinned outside the agent and keeps forwarding.
                let (summary, log) = try await cloud.pingAcrossAgentRestart(from: "a", to: "10.1.0.10")
                #expect(summary.contains("3000 received"), "routed packets lost across the agent restart: \(summary)")
                #expect(!log.contains("kernel write"), "the restart changed the kernel: \(log)")
                #expect(await cloud.pings(from: "a", "203.0.113.1"), "still out through the edge")
            }
        }
    }
}
