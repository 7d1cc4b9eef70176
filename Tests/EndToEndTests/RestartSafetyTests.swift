import Foundation
import Testing

extension EndToEnd {
    /// Forwarding survives agent and controller restarts, and the agent repairs drift by itself.
    @Suite struct RestartSafetyTests {
        /// Two workloads on one switch, on hosts 1 and 2, that can already ping each other.
        func pingingPair(_ cloud: SimulatedCloud) async throws -> String {
            try await cloud.start(hostCount: 3)
            let tenant = try await cloud.api("POST", "/tenants", ["name": "acme"])["id"] as? String ?? ""
            let web = try await cloud.api("POST", "/switches", ["tenant": tenant, "name": "web", "cidr": "10.0.0.0/24"])["id"] as? String ?? ""
            try await cloud.port("a", on: web, host: 1, ip: "10.0.0.10")
            try await cloud.port("b", on: web, host: 2, ip: "10.0.0.11")
            try await cloud.eventually("a reaches b") { await cloud.pings(from: "a", "10.0.0.11") }
            return web
        }

        @Test func killingAnAgentLosesNoPacketAndItsRestartWritesNothing() async throws {
            try await SimulatedCloud.withCloud { cloud in
                _ = try await pingingPair(cloud)
                let (summary, log) = try await cloud.pingAcrossAgentRestart(from: "a", to: "10.0.0.11")
                #expect(summary.contains("3000 received"), "packets lost across the agent restart: \(summary)")
                // Once reconnected and acked, the restarted agent has written nothing to the kernel.
                #expect(!log.contains("kernel write"), "the restart changed the kernel: \(log)")
            }
        }

        @Test func handDeletedFDBEntryAndVXLANDeviceComeBackWithinTheResyncInterval() async throws {
            try await SimulatedCloud.withCloud { cloud in
                _ = try await pingingPair(cloud)
                let links = try await SimulatedCloud.run(["ip", "-n", cloud.namespace("hv2"), "-o", "link", "show"]).output
                let vxlan = try #require(links.split(separator: " ").map(String.init).first { $0.hasPrefix("syvx-") }?
                    .trimmingCharacters(in: CharacterSet(charactersIn: ":@")))
                let fdb = try await SimulatedCloud.run(["ip", "netns", "exec", cloud.namespace("hv1"), "bridge", "fdb", "show"]).output
                let entry = try #require(fdb.split(separator: "\n").first { $0.contains(" dst 198.18.0.12") && !$0.hasPrefix("00:00") })
                let mac = String(entry.split(separator: " ")[0])
                // By hand: the FDB entry on hv1 and the whole VXLAN device on hv2.
                try await SimulatedCloud.run(["ip", "netns", "exec", cloud.namespace("hv1"), "bridge", "fdb", "del", mac, "dev", vxlan,
                                        "dst", "198.18.0.12", "self"])
                try await SimulatedCloud.run(["ip", "-n", cloud.namespace("hv2"), "link", "del", vxlan])
                try await cloud.eventually("both are restored", timeout: .seconds(8)) {
                    let fdb = try await SimulatedCloud.run(["ip", "netns", "exec", cloud.namespace("hv1"), "bridge", "fdb", "show"]).output
                    let links = try await SimulatedCloud.run(["ip", "-n", cloud.namespace("hv2"), "link", "show"]).output
                    return fdb.contains("\(mac) dev \(vxlan) dst 198.18.0.12") && links.contains(vxlan)
                }
                try await cloud.eventually("a reaches b again") { await cloud.pings(from: "a", "10.0.0.11") }
            }
        }

        @Test func forwardingOutlivesTheControllerAndAgentsConvergeAfterItReturns() async throws {
            try await SimulatedCloud.withCloud { cloud in
                let web = try await pingingPair(cloud)
                try await cloud.killProcesses(in: "ul")
                #expect(await cloud.pings(from: "a", "10.0.0.11", count: 5), "forwarding stopped with the controller")
                try await cloud.restartController()
                try await cloud.port("c", on: web, host: 3, ip: "10.0.0.12")
                try await cloud.eventually("a reaches the workload created after the restart") { await cloud.pings(from: "a", "10.0.0.12") }
            }
        }
    }
}
