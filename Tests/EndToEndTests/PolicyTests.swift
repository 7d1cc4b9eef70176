import Foundation
import Testing

extension EndToEnd {
    /// Micro-segmentation with real connections: the operators' policy (only the front-end project,
    /// and tenant `external` through the external network, reach tano-project's port 6379), an
    /// admin tier above it, what policy changes do to open connections, and two tenants with the
    /// same addresses on the same hosts, each with its own policies.
    @Suite struct PolicyTests {
        struct Tano {
            var tenant = "", redis = "", sidecar = "", frontEnd = "", other = "", floating = ""
        }

        static func tano(_ cloud: SimulatedCloud, corp: String) async throws -> Tano {
            var tano = Tano()
            tano.tenant = try await cloud.api("POST", "/tenants", ["name": "tano-tenant"])["id"] as? String ?? ""
            var projects: [String: String] = [:]
            for name in ["tano-project", "front-end", "other"] {
                projects[name] = try await cloud.api("POST", "/projects", ["tenant": tano.tenant, "name": name])["id"] as? String ?? ""
            }
            // One switch per project (a port belongs to its switch's project), all on one router:
            // traffic between projects is routed, within a project bridged.
            let router = try await cloud.api("POST", "/routers", ["tenant": tano.tenant, "name": "edge", "externalNetwork": corp])["id"] as? String ?? ""
            var switches: [String: String] = [:]
            for (project, cidr) in [("tano-project", "10.0.0.0/24"), ("front-end", "10.0.1.0/24"), ("other", "10.0.2.0/24")] {
                switches[project] = try await cloud.api("POST", "/switches", ["tenant": tano.tenant, "project": projects[project]!,
                                                                               "name": project, "cidr": cidr])["id"] as? String ?? ""
                _ = try await cloud.api("POST", "/routers/\(router)/interfaces", ["switch": switches[project]!])
            }
            tano.redis = try await cloud.port("redis", on: switches["tano-project"]!, host: 1, ip: "10.0.0.10", fields: ["labels": ["app": "redis"]])
            tano.sidecar = try await cloud.port("sidecar", on: switches["tano-project"]!, host: 2, ip: "10.0.0.20")
            tano.frontEnd = try await cloud.port("fe", on: switches["front-end"]!, host: 2, ip: "10.0.1.11")
            tano.other = try await cloud.port("other", on: switches["other"]!, host: 1, ip: "10.0.2.12")
            let floating = try await cloud.api("POST", "/floating-ips", ["tenant": tano.tenant, "externalNetwork": corp, "port": tano.redis])
            tano.floating = floating["address"] as? String ?? ""
            return tano
        }

        @Test func operatorsPolicyAdminTierAndOpenConnections() async throws {
            try await SimulatedCloud.withCloud { cloud in
                try await cloud.start(hostCount: 2, edgeCount: 1)
                let corp = try await RouterTests.corp(cloud)
                let tano = try await Self.tano(cloud, corp: corp)
                // Tenant `external` uses the same subnet and addresses as tano, on the same hosts.
                let external = try await RouterTests.tenantNetwork(cloud, name: "external", corp: corp, webCIDR: "10.0.0.0/24",
                                                                   dbCIDR: "10.0.1.0/24")
                let x = try await cloud.port("x", on: external.web, host: 2, ip: "10.0.0.10")
                try await cloud.port("y", on: external.db, host: 1, ip: "10.0.1.11")
                for port in [6379, 80] { try await cloud.startPeerEcho(in: "w-redis", port: port) }
                try await cloud.startPeerEcho(in: "w-x", port: 6379)

                try await cloud.eventually("everything is open before any policy") {
                    let other = await cloud.peerSeen(from: "w-other", "10.0.0.10", port: 6379)
                    let web = await cloud.peerSeen(from: "w-fe", "10.0.0.10", port: 80)
                    let outside = await cloud.peerSeen(from: "w-x", tano.floating, port: 6379)
                    let twin = await cloud.peerSeen(from: "w-y", "10.0.0.10", port: 6379)
                    return other != nil && web != nil && outside == external.uplink && twin != nil
                }
                let held = try await cloud.holdConnection(from: "w-fe", to: "10.0.0.10", port: 6379)

                let file = SimulatedCloud.repository.appendingPathComponent("ops/examples/network-policy.yml").path
                let applied = try await cloud.syctl(["tenant", "apply-policy", "tano-tenant", "-f", file])
                #expect(applied.output.contains("policy/network-policy created"), "\(applied.output)")
                let listed = try await cloud.api("GET", "/policies?name=network-policy")["items"] as? [[String: Any]] ?? []
                let policyID = try #require(listed.first?["id"] as? String, "\(listed)")
                try await cloud.eventually("the policy closes 6379 to other projects") {
                    await cloud.peerSeen(from: "w-other", "10.0.0.10", port: 6379) == nil
                }
                #expect(await cloud.peerSeen(from: "w-fe", "10.0.0.10", port: 6379) == "10.0.1.11", "front-end reaches 6379")
                #expect(await cloud.peerSeen(from: "w-fe", "10.0.0.10", port: 80) == nil, "nothing reaches port 80")
                #expect(await cloud.peerSeen(from: "w-sidecar", "10.0.0.10", port: 6379) == nil,
                        "a workload on redis's own switch (bridged over VXLAN) is not front-end")
                #expect(await cloud.peerSeen(from: "w-x", tano.floating, port: 6379) == external.uplink,
                        "tenant external reaches 6379 through the external network")
                #expect(await held.isAlive(), "front-end's open connection survives the policy that allows it")
                // The other tenant's workloads with the same addresses are untouched by tano's policy.
                #expect(await cloud.peerSeen(from: "w-y", "10.0.0.10", port: 6379) == "10.0.1.11")

                // A spoofed source: `other` takes front-end's address; anti-spoofing drops it.
                _ = try await SimulatedCloud.run(["ip", "-n", cloud.namespace("w-other"), "addr", "add", "10.0.1.11/32", "dev", "eth0"])
                #expect(await cloud.peerSeen(from: "w-other", "10.0.0.10", port: 6379, source: "10.0.1.11") == nil,
                        "other reached 6379 posing as front-end")
                _ = try await SimulatedCloud.run(["ip", "-n", cloud.namespace("w-other"), "addr", "del", "10.0.1.11/32", "dev", "eth0"])

                // Explain: the evaluator names the policy and rule that decided.
                let allowed = try await cloud.api("GET", "/reachability?from=\(tano.frontEnd)&to=\(tano.redis)&protocol=tcp&port=6379")
                #expect(allowed["allowed"] as? Bool == true, "\(allowed)")
                #expect((allowed["ingress"] as? [String: Any])?["policy"] as? String == policyID)
                #expect((allowed["ingress"] as? [String: Any])?["rule"] as? String == "ingress[0]")
                let denied = try await cloud.syctl(["explain", "--from", tano.other, "--to", "10.0.0.10", "--protocol", "tcp",
                                                    "--port", "6379"], check: false)
                #expect(denied.status == 1 && denied.output.contains("denied"), "\(denied.output)")
                #expect(denied.output.contains("network-policy"), "explain names the policy that selects redis: \(denied.output)")

                // An unrelated policy (for project other's egress) leaves the open connection alone.
                let egress = try await cloud.api("POST", "/policies", [
                    "tenant": tano.tenant, "name": "other-egress", "appliesTo": ["project": "other"],
                    "egress": [["to": [["cidr": "203.0.113.0/24"]], "ports": [["protocol": "tcp", "port": 8000]]]],
                ])
                try await cloud.startPeerEcho(in: "ext", port: 8000)
                try await cloud.eventually("other's egress is limited to the corporate network") {
                    await cloud.peerSeen(from: "w-other", "10.0.0.10", port: 80) == nil
                }
                #expect(await cloud.peerSeen(from: "w-other", "203.0.113.1", port: 8000) != nil, "other's egress rule allows port 8000 out")
                #expect(await held.isAlive(), "an unrelated policy change cut front-end's connection")

                // Admin tier: deny beats the tenant's allow, and cuts the open connection.
                let admin = try await cloud.api("POST", "/policies", [
                    "name": "no-front-end-redis", "tier": "admin", "priority": 10,
                    "appliesTo": ["tenant": "tano-tenant", "labels": ["app": "redis"]],
                    "ingress": [["action": "deny", "from": [["project": "front-end", "tenant": "tano-tenant"]],
                                 "ports": [["protocol": "tcp", "port": 6379]]]],
                ])
                let adminID = try #require(admin["id"] as? String, "\(admin)")
                try await cloud.eventually("the admin deny closes 6379 to front-end") {
                    await cloud.peerSeen(from: "w-fe", "10.0.0.10", port: 6379) == nil
                }
                #expect(!(await held.isAlive()), "the connection the admin tier denies is cut")
                let adminDenied = try await cloud.api("GET", "/reachability?from=\(tano.frontEnd)&to=\(tano.redis)&protocol=tcp&port=6379")
                #expect((adminDenied["ingress"] as? [String: Any])?["tier"] as? String == "admin", "\(adminDenied)")

                // `pass` hands the decision back to the tenant's policy, which allows front-end.
                _ = try await cloud.api("PATCH", "/policies/\(adminID)", [
                    "ingress": [["action": "pass", "from": [["project": "front-end", "tenant": "tano-tenant"]]]],
                ])
                try await cloud.eventually("pass delegates to the tenant's allow") {
                    await cloud.peerSeen(from: "w-fe", "10.0.0.10", port: 6379) != nil
                }

                // Tenant external's own policy: x accepts nothing. Same tuples, other verdicts.
                _ = try await cloud.api("POST", "/policies", ["tenant": external.tenant, "name": "closed", "ingress": [[String: Any]]()])
                try await cloud.eventually("x is closed by its tenant's policy") {
                    await cloud.peerSeen(from: "w-y", "10.0.0.10", port: 6379) == nil
                }
                #expect(await cloud.peerSeen(from: "w-fe", "10.0.0.10", port: 6379) == "10.0.1.11",
                        "tano's identical flow is still allowed")
                _ = x

                // Deleting the policies restores what they closed.
                for id in [policyID, adminID, egress["id"] as? String ?? ""] { _ = try await cloud.api("DELETE", "/policies/\(id)") }
                try await cloud.eventually("everything in tano is open again") {
                    let other = await cloud.peerSeen(from: "w-other", "10.0.0.10", port: 6379)
                    let web = await cloud.peerSeen(from: "w-fe", "10.0.0.10", port: 80)
                    return other != nil && web != nil
                }
            }
        }
    }
}
