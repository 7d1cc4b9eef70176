import Foundation
import Testing

extension EndToEnd {
    /// Logical switches realized by real agents on a 3-host simulated cloud, proven with real packets.
    @Suite struct LogicalSwitchTests {
        @Test func workloadsOnOneSwitchTalkAcrossHostsAndTenantsStayApart() async throws {
            try await SimulatedCloud.withCloud { cloud in
                try await cloud.start(hostCount: 3)
                let acme = try await cloud.api("POST", "/tenants", ["name": "acme"])["id"] as? String ?? ""
                let globex = try await cloud.api("POST", "/tenants", ["name": "globex"])["id"] as? String ?? ""
                let web = try await cloud.api("POST", "/switches", ["tenant": acme, "name": "web", "cidr": "10.0.0.0/24"])["id"] as? String ?? ""
                let db = try await cloud.api("POST", "/switches", ["tenant": acme, "name": "db", "cidr": "10.1.0.0/24"])["id"] as? String ?? ""
                // Globex reuses acme's subnet on its own switch.
                let other = try await cloud.api("POST", "/switches", ["tenant": globex, "name": "web", "cidr": "10.0.0.0/24"])["id"] as? String ?? ""

                let a = try await cloud.port("a", on: web, host: 1, ip: "10.0.0.10")
                try await cloud.port("b", on: web, host: 2, ip: "10.0.0.11")
                try await cloud.port("c", on: db, host: 3, ip: "10.1.0.10")
                try await cloud.port("g", on: other, host: 3, ip: "10.0.0.12")

                try await cloud.eventually("a reaches b across hosts") { await cloud.pings(from: "a", "10.0.0.11") }
                #expect(await cloud.pings(from: "b", "10.0.0.10", count: 3))

                // A TCP connection across the overlay: a listener in b, a client in a.
                let listener = try await SimulatedCloud.run(["sh", "-c",
                    "ip netns exec \(cloud.namespace("w-b")) python3 -c \"import socket;s=socket.socket();s.bind(('10.0.0.11',7000));s.listen();c,_=s.accept();c.sendall(c.recv(64))\" & sleep 0.5; " +
                    "ip netns exec \(cloud.namespace("w-a")) python3 -c \"import socket;s=socket.create_connection(('10.0.0.11',7000),3);s.sendall(b'switchyard');print(s.recv(64).decode())\""],
                    check: false)
                #expect(listener.output.contains("switchyard"), "TCP echo across hosts")

                // ARP for a remote port is answered on the sender's host: a port bound to hv2 with no workload
                // behind it still resolves in a, from the neighbour entry on hv1's VXLAN device.
                let ghost = try await cloud.api("POST", "/ports?wait=realized&timeout=10s",
                                                ["switch": web, "name": "ghost", "host": cloud.hosts[1], "ip": "10.0.0.20"])
                _ = await cloud.pings(from: "a", "10.0.0.20")
                let neighbour = try await SimulatedCloud.run(["ip", "-n", cloud.namespace("w-a"), "neigh", "show", "10.0.0.20"]).output
                #expect(neighbour.contains(ghost["mac"] as? String ?? "?"), "ARP answered locally, got: \(neighbour)")

                // Isolation: another tenant on the same CIDR, and another switch of acme without a router.
                #expect(!(await cloud.pings(from: "g", "10.0.0.10", count: 2)), "globex reaches acme's workload")
                #expect(!(await cloud.pings(from: "a", "10.0.0.12", count: 2)), "acme reaches globex's workload")
                #expect(!(await cloud.pings(from: "a", "10.1.0.10", count: 2)), "a switch without a router reaches another switch")

                // Deleting a port removes it from its host and its static FDB entry (`… dst VTEP self`) from the
                // peers; what the bridges learned from traffic ages out on its own.
                let macA = try await cloud.api("GET", "/ports/\(a)")["mac"] as? String ?? ""
                func staticEntries(on host: String) async throws -> [Substring] {
                    try await SimulatedCloud.run(["ip", "netns", "exec", cloud.namespace(host), "bridge", "fdb", "show"]).output
                        .split(separator: "\n").filter { $0.contains(" dst ") }
                }
                #expect(try await staticEntries(on: "hv2").contains { $0.hasPrefix(macA) }, "hv2 has a static entry for a before the delete")
                _ = try await cloud.api("DELETE", "/ports/\(a)")
                try await cloud.eventually("a's MAC leaves hv2's FDB") {
                    !(try await staticEntries(on: "hv2").contains { $0.hasPrefix(macA) })
                }
                try await cloud.eventually("a's host end leaves hv1") {
                    !(try await SimulatedCloud.run(["ip", "-n", cloud.namespace("hv1"), "link", "show"]).output.contains("sypt-"))
                }
            }
        }
    }
}
