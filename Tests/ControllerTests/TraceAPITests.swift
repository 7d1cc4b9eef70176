import Foundation
import Testing

/// `GET /v1/trace`: admins only, strict parameters, 404 for ports that do not exist, and an answer
/// read from the hub's compiled state whose hops say that no agent acked them yet.
@Suite struct TraceAPITests {
    @Test func parametersAreCheckedAndTheAnswerComesFromTheCompiledState() async throws {
        let controller = try await TestController.start()
        defer { Task { await controller.stop() } }
        let tenant = try await controller.create("/v1/tenants", ["name": "acme"])
        let hv1 = try await controller.create("/v1/hosts", ["name": "hv1", "address": "198.18.0.11"])
        let hv2 = try await controller.create("/v1/hosts", ["name": "hv2", "address": "198.18.0.12"])
        let sw = try await controller.create("/v1/switches", ["tenant": tenant, "name": "web", "cidr": "10.0.0.0/24"])
        let a = try await controller.create("/v1/ports", ["switch": sw, "name": "a", "host": hv1, "ip": "10.0.0.10"])
        let b = try await controller.create("/v1/ports", ["switch": sw, "name": "b", "host": hv2, "ip": "10.0.0.11"])

        func refusal(_ query: String, token: String? = nil) async throws -> (Int, String?, String?) {
            let (status, json) = try await controller.call(.get, "/v1/trace?\(query)", token: token)
            let error = json["error"] as? [String: Any]
            return (status, error?["code"] as? String, error?["field"] as? String)
        }
        let (_, issued) = try await controller.call(.post, "/v1/tenants/\(tenant)/tokens", body: [:])
        #expect(try await refusal("from=\(a)&to=\(b)", token: issued["token"] as? String).0 == 403)
        #expect(try await refusal("from=\(a)&to=10.0.0") == (400, "invalid_query", "to"))
        #expect(try await refusal("to=\(b)") == (400, "invalid_query", "from"))
        #expect(try await refusal("from=\(a)&to=\(b)&protocol=icmp&port=80") == (400, "invalid_query", "port"))
        #expect(try await refusal("from=\(a)&to=\(b)&protocol=sctp") == (400, "invalid_query", "protocol"))
        #expect(try await refusal("from=\(a)&to=\(b)&port=65536&protocol=tcp") == (400, "invalid_query", "port"))
        #expect(try await refusal("from=\(a)&to=\(b)&via=x") == (400, "invalid_query", "via"))
        #expect(try await refusal("from=pt-nope&to=\(b)") == (404, "not_found", "from"))
        #expect(try await refusal("from=\(a)&to=pt-nope") == (404, "not_found", "to"))

        let revision = try await controller.store.revision()
        while await controller.hub.revision < revision { try await Task.sleep(for: .milliseconds(20)) }
        let (status, trace) = try await controller.call(.get, "/v1/trace?from=\(a)&to=\(b)&protocol=tcp&port=443")
        #expect(status == 200)
        #expect(trace["verdict"] as? String == "delivered" && trace["port"] as? Int == 443 && trace["protocol"] as? String == "tcp")
        let hops = try #require(trace["hops"] as? [[String: Any]])
        #expect(hops.map { $0["kind"] as? String } == ["source", "switch", "tunnel", "destination"])
        #expect(hops.allSatisfy { $0["realized"] as? Bool == false }, "no agent is connected, so no hop is acked")
        #expect(hops.last?["object"] as? String == b && hops.last?["host"] as? String == "hv2")
    }

    /// A tenant asking about a connection to another tenant's floating IP learns the verdict, not
    /// that tenant's policies; nor the names of the provider's.
    @Test func explainTellsATenantNothingOfPoliciesItCannotRead() async throws {
        let controller = try await TestController.start()
        defer { Task { await controller.stop() } }
        let acme = try await controller.create("/v1/tenants", ["name": "acme"])
        let globex = try await controller.create("/v1/tenants", ["name": "globex"])
        let hv1 = try await controller.create("/v1/hosts", ["name": "hv1", "address": "198.18.0.11"])
        let corp = try await controller.create("/v1/external-networks", ["name": "corp", "cidr": "203.0.113.0/24"])
        var ports: [String] = []
        for (tenant, name) in [(acme, "a"), (globex, "g")] {
            let sw = try await controller.create("/v1/switches", ["tenant": tenant, "name": "web", "cidr": "10.0.0.0/24"])
            let router = try await controller.create("/v1/routers", ["tenant": tenant, "name": "r", "externalNetwork": corp])
            _ = try await controller.call(.post, "/v1/routers/\(router)/interfaces", body: ["switch": sw])
            ports.append(try await controller.create("/v1/ports", ["switch": sw, "name": name, "host": hv1]))
        }
        let (_, floating) = try await controller.call(.post, "/v1/floating-ips", body: ["tenant": globex, "externalNetwork": corp, "port": ports[1]])
        let address = try #require(floating["address"] as? String)
        _ = try await controller.create("/v1/policies", ["tenant": globex, "name": "globex-secret", "ingress": [[String: Any]]()])
        _ = try await controller.create("/v1/policies", ["name": "provider-secret", "tier": "admin", "egress": [["action": "allow"]]])
        let (_, issued) = try await controller.call(.post, "/v1/tenants/\(acme)/tokens", body: [:])
        let token = try #require(issued["token"] as? String)

        let revision = try await controller.store.revision()
        while await controller.hub.revision < revision { try await Task.sleep(for: .milliseconds(20)) }
        let path = "/v1/reachability?from=\(ports[0])&to=\(address)&protocol=tcp&port=80"
        let (status, answer) = try await controller.call(.get, path, token: token)
        #expect(status == 200 && answer["allowed"] as? Bool == false)
        let ingress = try #require(answer["ingress"] as? [String: Any])
        let egress = try #require(answer["egress"] as? [String: Any])
        #expect(ingress["verdict"] as? String == "denied" && ingress["tier"] as? String == "tenant")
        #expect(egress["verdict"] as? String == "allowed" && egress["tier"] as? String == "admin")
        for decision in [ingress, egress] {
            #expect(decision["policy"] == nil && decision["policyName"] == nil && decision["rule"] == nil, "\(decision)")
            #expect(!(decision["reason"] as? String ?? "").contains("secret"), "\(decision)")
        }
        let (_, full) = try await controller.call(.get, path)
        #expect((full["ingress"] as? [String: Any])?["policyName"] as? String == "globex-secret", "admins see everything")
    }

    /// Explaining a connection to a service's VIP names the service and its endpoints only to a
    /// token that can read the service: a project token learns the verdict, not another project's
    /// service or endpoint addresses.
    @Test func explainToAVIPNamesTheServiceOnlyToTokensThatCanReadIt() async throws {
        let controller = try await TestController.start()
        defer { Task { await controller.stop() } }
        let acme = try await controller.create("/v1/tenants", ["name": "acme"])
        let front = try await controller.create("/v1/projects", ["tenant": acme, "name": "front"])
        let data = try await controller.create("/v1/projects", ["tenant": acme, "name": "data"])
        let hv1 = try await controller.create("/v1/hosts", ["name": "hv1", "address": "198.18.0.11"])
        let router = try await controller.create("/v1/routers", ["tenant": acme, "name": "r"])
        var switches: [String] = []
        for (project, name, cidr) in [(front, "front", "10.0.0.0/24"), (data, "data", "10.0.1.0/24")] {
            switches.append(try await controller.create("/v1/switches", ["tenant": acme, "project": project, "name": name, "cidr": cidr]))
            _ = try await controller.call(.post, "/v1/routers/\(router)/interfaces", body: ["switch": switches.last ?? ""])
        }
        let client = try await controller.create("/v1/ports", ["switch": switches[0], "name": "c", "host": hv1])
        _ = try await controller.create("/v1/ports", ["switch": switches[1], "name": "db", "host": hv1, "ip": "10.0.1.50",
                                                      "labels": ["app": "db"]])
        let (created, service) = try await controller.call(.post, "/v1/services", body: [
            "tenant": acme, "project": data, "name": "db", "router": router,
            "ports": [["protocol": "tcp", "port": 80, "targetPort": 5432]], "selector": ["labels": ["app": "db"]],
        ])
        #expect(created == 201, "\(service)")
        let vip = try #require(service["vip"] as? String)
        let (_, issued) = try await controller.call(.post, "/v1/tenants/\(acme)/tokens", body: ["project": front])
        let token = try #require(issued["token"] as? String)

        let revision = try await controller.store.revision()
        while await controller.hub.revision < revision { try await Task.sleep(for: .milliseconds(20)) }
        let path = "/v1/reachability?from=\(client)&to=\(vip)&protocol=tcp&port=80"
        let (_, full) = try await controller.call(.get, path)
        #expect(full["allowed"] as? Bool == true && full["service"] as? String == service["id"] as? String, "\(full)")
        #expect(((full["ingress"] as? [String: Any])?["reason"] as? String)?.contains("service 'db'") == true, "admins see it: \(full)")
        let (status, answer) = try await controller.call(.get, path, token: token)
        #expect(status == 200 && answer["allowed"] as? Bool == true && answer["service"] == nil, "\(answer)")
        for side in ["egress", "ingress"] {
            let reason = (answer[side] as? [String: Any])?["reason"] as? String ?? ""
            #expect(reason.contains("a service the token cannot read") && !reason.contains("10.0.1.50") && !reason.contains("'db'"), "\(reason)")
        }
    }
}
