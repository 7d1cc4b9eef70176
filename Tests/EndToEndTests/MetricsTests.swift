import Foundation
import Testing

extension EndToEnd {
    /// Prometheus metrics of the controller and of real agents, scraped over HTTP: each series moves
    /// when the thing it counts happens, including a kernel write that fails and then succeeds.
    @Suite struct MetricsTests {
        @Test func controllerAndAgentSeriesMoveWithWhatTheyCount() async throws {
            try await SimulatedCloud.withCloud { cloud in
                try await cloud.start(hostCount: 2)
                let acme = try await cloud.api("POST", "/tenants", ["name": "acme"])["id"] as? String ?? ""
                let created = try await cloud.api("POST", "/switches", ["tenant": acme, "name": "web", "cidr": "10.0.0.0/24"])
                let (sw, vni) = (created["id"] as? String ?? "", created["vni"] as? Int ?? 0)
                let portCreates = #"switchyard_api_requests_total{route="/v1/ports",method="POST",status="201"}"#
                let switchWrites = #"switchyard_agent_kernel_writes_total{concern="switches"}"#
                let switchFailures = #"switchyard_agent_kernel_write_failures_total{concern="switches"}"#
                let passes = "switchyard_agent_reconcile_pass_duration_seconds_count"
                let controllerBefore = try await cloud.scrapeController()
                let agentBefore = try await cloud.scrapeAgent(host: 1)
                #expect(controllerBefore.status == 200 && agentBefore.status == 200)
                #expect(controllerBefore["switchyard_hosts_connected"] == 2)
                #expect(controllerBefore[#"switchyard_compile_duration_seconds_count{kind="full"}"#] == 1, "one full compile at start")

                // A VXLAN device of hv1's own with the switch's VNI makes the kernel refuse the switch's.
                _ = try await SimulatedCloud.run(["ip", "-n", cloud.namespace("hv1"), "link", "add", "blocker", "type", "vxlan",
                                                  "id", String(vni), "dstport", "4789"])
                let port = try await cloud.api("POST", "/ports", ["switch": sw, "name": "a", "host": cloud.hosts[0], "ip": "10.0.0.10"])
                #expect(port["id"] != nil, "port: \(port)")
                try await cloud.eventually("hv1's agent reports the failed write and the object in error") {
                    let agent = try await cloud.scrapeAgent(host: 1)
                    return agent[switchFailures, default: 0] > agentBefore[switchFailures, default: 0]
                        && agent["switchyard_agent_objects_in_error"] ?? 0 >= 1
                }
                _ = try await SimulatedCloud.run(["ip", "-n", cloud.namespace("hv1"), "link", "del", "blocker"])
                try await cloud.eventually("hv1's agent realizes the switch and has nothing in error") {
                    let agent = try await cloud.scrapeAgent(host: 1)
                    return agent[switchWrites, default: 0] > agentBefore[switchWrites, default: 0]
                        && agent["switchyard_agent_objects_in_error"] == 0
                }
                let agentAfter = try await cloud.scrapeAgent(host: 1)
                #expect(agentAfter[passes, default: 0] > agentBefore[passes, default: 0], "reconcile passes are timed")
                let revision = try await cloud.api("GET", "/revision")["revision"] as? Int ?? -1
                try await cloud.eventually("hv1 acked the newest revision") {
                    (try await cloud.scrapeController())[#"switchyard_host_revision_lag{host="hv1"}"#] == 0
                }
                #expect(agentAfter["switchyard_agent_applied_revision"].map { Int($0) } ?? -1 >= revision - 1)

                let controllerAfter = try await cloud.scrapeController()
                #expect(controllerAfter[portCreates, default: 0] == controllerBefore[portCreates, default: 0] + 1, "one port created")
                #expect(controllerAfter["switchyard_revision"].map { Int($0) } == revision, "the gauge follows the store")
                #expect(controllerAfter["switchyard_compiled_revision"].map { Int($0) } == revision)
                for series in ["switchyard_store_write_batch_size_count", "switchyard_store_commit_duration_seconds_count",
                               #"switchyard_compile_duration_seconds_count{kind="incremental"}"#] {
                    #expect(controllerAfter[series, default: 0] >= controllerBefore[series, default: 0] + 1, "\(series) counts the writes")
                }
                #expect(controllerAfter.samples.keys.allSatisfy { !$0.contains(port["id"] as? String ?? "?") }, "no series names a port")

                // Only admins read the controller's metrics; the agent serves nothing else.
                let secret = try await cloud.api("POST", "/tenants/\(acme)/tokens", [:])["token"] as? String ?? ""
                #expect(try await cloud.scrapeController(token: secret).status == 403)
                #expect(try await cloud.scrapeController(token: "nope").status == 401)
                #expect(try await cloud.scrapeAgent(host: 1, path: "/").status == 404)
                #expect(try await cloud.scrapeAgent(host: 1, method: "POST").status == 405)
            }
        }
    }
}
