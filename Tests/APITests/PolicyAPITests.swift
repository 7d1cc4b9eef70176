import Foundation
import HTTPTypes
import Testing

/// Policies through the API: the tiers and who may manage them, the checks no schema can state,
/// PATCH semantics, quotas, scoping, and the audit trail.
@Suite struct PolicyAPITests {
    @Test func tenantPoliciesAreScopedAndChecked() async throws {
        let api = try await TestAPI()
        defer { api.removeStore() }
        let tenant = try await api.create("/v1/tenants", ["name": "tano-tenant", "quotas": ["policies": 2]]).string("id")
        let token = try await api.create("/v1/tenants/\(tenant)/tokens", [:]).string("token")
        let other = try await api.create("/v1/tenants", ["name": "globex"]).string("id")
        let otherToken = try await api.create("/v1/tenants/\(other)/tokens", [:]).string("token")

        let rule: [String: Any] = ["from": [["project": "front-end"]], "ports": [["protocol": "tcp", "port": 6379]],
                                   "expression": "src_project==front-end || src_tenant==external"]
        let policy = try await api.create("/v1/policies", ["name": "redis", "appliesTo": ["tenant": "tano-tenant", "project": "data"],
                                                           "ingress": [rule]], token: token)
        let id = policy.string("id")
        #expect(id.hasPrefix("np-") && policy["tenant"] as? String == tenant && policy["tier"] as? String == "tenant")
        #expect((policy["appliesTo"] as? [String: Any])?["tenant"] == nil, "the own tenant's name is implied")
        #expect(policy["egress"] == nil, "not selected for egress")

        try await expectRefusal(api, .post, "/v1/policies", token: token,
                                body: ["name": "x", "ingress": [["expression": "src_project=front"]]],
                                status: 400, code: "invalid_expression", field: "ingress[0].expression")
        try await expectRefusal(api, .post, "/v1/policies", token: token, body: ["name": "x", "ingress": [["action": "deny"]]],
                                status: 400, code: "invalid_value", field: "ingress[0].action")
        try await expectRefusal(api, .post, "/v1/policies", token: token, body: ["name": "x", "ingress": [["to": [["cidr": "10.0.0.0/8"]]]]],
                                status: 400, code: "unknown_field", field: "ingress[0].to")
        try await expectRefusal(api, .post, "/v1/policies", token: token, body: ["name": "x", "egress": [["to": [["cidr": "10.0.0.1/8"]]]]],
                                status: 400, code: "invalid_cidr", field: "egress[0].to[0].cidr")
        try await expectRefusal(api, .post, "/v1/policies", token: token,
                                body: ["name": "x", "egress": [["to": [["cidr": "10.0.0.0/8", "project": "a"]]]]],
                                status: 400, code: "invalid_value", field: "egress[0].to[0]")
        try await expectRefusal(api, .post, "/v1/policies", token: token,
                                body: ["name": "x", "ingress": [["ports": [["protocol": "icmp", "port": 8]]]]],
                                status: 400, code: "invalid_value", field: "ingress[0].ports[0].port")
        try await expectRefusal(api, .post, "/v1/policies", token: token, body: ["name": "x", "appliesTo": ["tenant": "globex"]],
                                status: 400, code: "invalid_value", field: "appliesTo.tenant")
        try await expectRefusal(api, .post, "/v1/policies", token: token, body: ["name": "x", "priority": 3],
                                status: 400, code: "invalid_value", field: "priority")
        try await expectRefusal(api, .post, "/v1/policies", token: token, body: ["name": "redis"], status: 409, code: "conflict")
        try await expectRefusal(api, .post, "/v1/policies", token: token, body: ["name": "x", "tier": "admin"],
                                status: 403, code: "forbidden", field: "tier")

        _ = try await api.create("/v1/policies", ["name": "second"], token: token)
        try await expectRefusal(api, .post, "/v1/policies", token: token, body: ["name": "third"], status: 409, code: "quota_exceeded")

        // Another tenant sees none of it.
        try await expectRefusal(api, .get, "/v1/policies/\(id)", token: otherToken, status: 404, code: "not_found")
        #expect(try await api.call(.get, "/v1/policies", token: otherToken).items.isEmpty)

        // PATCH replaces what it names; null stops selecting for a direction.
        let egress = try await api.call(.patch, "/v1/policies/\(id)", token: token, body: ["egress": []])
        #expect(egress.status == 200 && egress.json["egress"] as? [Any] != nil && egress.json["ingress"] != nil)
        let cleared = try await api.call(.patch, "/v1/policies/\(id)", token: token, rawBody: #"{"ingress": null}"#)
        #expect(cleared.status == 200 && cleared.json["ingress"] == nil && cleared.json["egress"] != nil)
        try await expectRefusal(api, .patch, "/v1/policies/\(id)", token: token, body: ["egress": [["expression": "dst_x==1"]]],
                                status: 400, code: "invalid_expression", field: "egress[0].expression")

        let audit = try await api.call(.get, "/v1/audit?kind=policies&object=\(id)", token: token).items
        #expect(audit.map { $0["operation"] as? String } == ["create", "update", "update"])
        #expect(try await api.call(.delete, "/v1/policies/\(id)", token: token).status == 200)
        try await expectRefusal(api, .delete, "/v1/tenants/\(tenant)", status: 409, code: "in_use")
    }

    @Test func adminPoliciesBelongToTheProvider() async throws {
        let api = try await TestAPI()
        defer { api.removeStore() }
        let tenant = try await api.create("/v1/tenants", ["name": "acme"]).string("id")
        let token = try await api.create("/v1/tenants/\(tenant)/tokens", [:]).string("token")
        let admin = try await api.create("/v1/policies", [
            "name": "no-telnet", "tier": "admin", "priority": 10, "appliesTo": ["tenant": "*"],
            "ingress": [["action": "deny", "ports": [["protocol": "tcp", "port": 23]]], ["action": "pass"]],
        ])
        #expect(admin["tenant"] == nil && admin["priority"] as? Int == 10)
        try await expectRefusal(api, .post, "/v1/policies", body: ["name": "y", "tier": "admin", "tenant": tenant],
                                status: 400, code: "invalid_value", field: "tenant")
        try await expectRefusal(api, .post, "/v1/policies", body: ["name": "no-telnet", "tier": "admin"], status: 409, code: "conflict")
        try await expectRefusal(api, .post, "/v1/policies", body: ["name": "y"], status: 400, code: "missing_field", field: "tenant")
        // Tenants neither see nor change the provider's policies; a tenant may reuse the name.
        try await expectRefusal(api, .get, "/v1/policies/\(admin.string("id"))", token: token, status: 404, code: "not_found")
        try await expectRefusal(api, .delete, "/v1/policies/\(admin.string("id"))", token: token, status: 404, code: "not_found")
        _ = try await api.create("/v1/policies", ["name": "no-telnet"], token: token)
        #expect(try await api.call(.get, "/v1/policies?tier=admin").items.count == 1)
        #expect(try await api.call(.get, "/v1/policies", token: token).items.count == 1)
    }
}
