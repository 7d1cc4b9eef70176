import Foundation
import HTTPTypes
import Testing

/// Every error code, each from a real bad request; each refusal leaves the revision (and so the store) unchanged.
@Suite struct ErrorCodeTests {
    struct Fixture {
        let api: TestAPI
        let tenant: String
        let sw: String
        let port: [String: Any]
        let tenantToken: String
    }

    func fixture() async throws -> Fixture {
        let api = try await TestAPI()
        let tenant = try await api.create("/v1/tenants", ["name": "acme", "quotas": ["switches": 3, "floatingIps": 1]]).string("id")
        let sw = try await api.create("/v1/switches", ["tenant": tenant, "name": "front", "cidr": "10.0.0.0/24"]).string("id")
        let port = try await api.create("/v1/ports", ["switch": sw, "name": "p1", "mac": "02:00:00:00:00:01"])
        let token = try await api.create("/v1/tenants/\(tenant)/tokens", [:]).string("token")
        return Fixture(api: api, tenant: tenant, sw: sw, port: port, tenantToken: token)
    }

    @Test func malformedBodiesAreRefused() async throws {
        let f = try await fixture()
        defer { f.api.removeStore() }
        try await expectRefusal(f.api, .post, "/v1/tenants", rawBody: "{\"name\": ", status: 400, code: "invalid_json")
        try await expectRefusal(f.api, .post, "/v1/tenants", rawBody: "[1, 2]", status: 400, code: "invalid_json")
        try await expectRefusal(f.api, .post, "/v1/tenants", body: ["name": "x", "colour": "red"], status: 400, code: "unknown_field", field: "colour")
        try await expectRefusal(f.api, .post, "/v1/tenants", body: ["name": "x", "colour": NSNull()], status: 400, code: "unknown_field",
                                field: "colour")
        try await expectRefusal(f.api, .post, "/v1/tenants", body: ["name": "x", "quotas": ["gpus": 4]], status: 400, code: "unknown_field",
                                field: "quotas.gpus")
        try await expectRefusal(f.api, .post, "/v1/tenants", body: ["name": 5], status: 400, code: "invalid_type", field: "name")
        try await expectRefusal(f.api, .post, "/v1/switches", body: ["tenant": f.tenant, "name": "x", "cidr": "10.1.0.0/24", "mtu": "big"],
                                status: 400, code: "invalid_type", field: "mtu")
        try await expectRefusal(f.api, .post, "/v1/switches", body: ["tenant": f.tenant, "name": "x"], status: 400, code: "missing_field",
                                field: "cidr")
        try await expectRefusal(f.api, .post, "/v1/tenants", rawBody: "{\"name\": \"x\", \"labels\": {\"a\": \"" +
                                String(repeating: "b", count: 70 * 1024) + "\"}}", status: 413, code: "body_too_large")
        try await expectRefusal(f.api, .post, "/v1/tenants", rawBody: "name=x", contentType: "application/x-www-form-urlencoded",
                                status: 415, code: "unsupported_media_type")
    }

    @Test func badNamesLabelsAndValuesAreRefused() async throws {
        let f = try await fixture()
        defer { f.api.removeStore() }
        try await expectRefusal(f.api, .post, "/v1/tenants", body: ["name": "Acme_Corp"], status: 400, code: "invalid_name", field: "name")
        try await expectRefusal(f.api, .post, "/v1/tenants", body: ["name": String(repeating: "a", count: 64)], status: 400,
                                code: "invalid_name", field: "name")
        try await expectRefusal(f.api, .post, "/v1/tenants", body: ["name": "x;rm -rf"], status: 400, code: "invalid_name")
        try await expectRefusal(f.api, .post, "/v1/tenants", body: ["name": "x", "labels": ["bad key": "v"]], status: 400,
                                code: "invalid_label")
        try await expectRefusal(f.api, .post, "/v1/tenants", body: ["name": "x", "quotas": ["ports": -1]], status: 400,
                                code: "invalid_value", field: "quotas.ports")
        try await expectRefusal(f.api, .post, "/v1/switches", body: ["tenant": f.tenant, "name": "x", "cidr": "10.1.0.0/24", "mtu": 100],
                                status: 400, code: "invalid_value", field: "mtu")
        try await expectRefusal(f.api, .post, "/v1/hosts", body: ["name": "h", "address": "198.18.0.5", "role": "gpu"], status: 400,
                                code: "invalid_value", field: "role")
        try await expectRefusal(f.api, .get, "/v1/ports?limit=0", status: 400, code: "invalid_query", field: "limit")
        try await expectRefusal(f.api, .get, "/v1/ports?colour=red", status: 400, code: "invalid_query", field: "colour")
    }

    @Test func badAddressesAreRefused() async throws {
        let f = try await fixture()
        defer { f.api.removeStore() }
        let switchBody: (String) -> [String: Any] = { ["tenant": f.tenant, "name": "x", "cidr": $0] }
        try await expectRefusal(f.api, .post, "/v1/switches", body: switchBody("10.1.0.1/24"), status: 400, code: "invalid_cidr", field: "cidr")
        try await expectRefusal(f.api, .post, "/v1/switches", body: switchBody("300.1.0.0/16"), status: 400, code: "invalid_cidr")
        try await expectRefusal(f.api, .post, "/v1/switches", body: switchBody("10.1.0.0/31"), status: 400, code: "invalid_cidr")
        try await expectRefusal(f.api, .post, "/v1/ports", body: ["switch": f.sw, "name": "p2", "ip": "10.0.0.999"], status: 400,
                                code: "invalid_ip", field: "ip")
        try await expectRefusal(f.api, .post, "/v1/ports", body: ["switch": f.sw, "name": "p2", "ip": "10.9.9.9"], status: 400,
                                code: "ip_out_of_range", field: "ip")
        try await expectRefusal(f.api, .post, "/v1/ports", body: ["switch": f.sw, "name": "p2", "ip": "10.0.0.255"], status: 400,
                                code: "ip_out_of_range", field: "ip")
        try await expectRefusal(f.api, .post, "/v1/ports", body: ["switch": f.sw, "name": "p2", "ip": f.port.string("ip")], status: 409,
                                code: "ip_taken", field: "ip")
        try await expectRefusal(f.api, .post, "/v1/ports", body: ["switch": f.sw, "name": "p2", "ip": "10.0.0.1"], status: 409,
                                code: "ip_taken", field: "ip")
        try await expectRefusal(f.api, .post, "/v1/ports", body: ["switch": f.sw, "name": "p2", "mac": "zz:00:00:00:00:01"], status: 400,
                                code: "invalid_mac", field: "mac")
        try await expectRefusal(f.api, .post, "/v1/ports", body: ["switch": f.sw, "name": "p2", "mac": "01:00:5e:00:00:01"], status: 400,
                                code: "invalid_mac", field: "mac")
        try await expectRefusal(f.api, .post, "/v1/ports", body: ["switch": f.sw, "name": "p2", "mac": "02:00:00:00:00:01"], status: 409,
                                code: "mac_taken", field: "mac")
    }

    @Test func conflictsOverlapsQuotasAndPoolsAreRefused() async throws {
        let f = try await fixture()
        defer { f.api.removeStore() }
        try await expectRefusal(f.api, .post, "/v1/tenants", body: ["name": "acme"], status: 409, code: "conflict", field: "name")
        try await expectRefusal(f.api, .post, "/v1/ports", body: ["switch": f.sw, "name": "p1"], status: 409, code: "conflict", field: "name")

        let overlapping = try await f.api.create("/v1/switches", ["tenant": f.tenant, "name": "wide", "cidr": "10.0.0.0/16"]).string("id")
        let router = try await f.api.create("/v1/routers", ["tenant": f.tenant, "name": "r1"]).string("id")
        _ = try await f.api.create("/v1/routers/\(router)/interfaces", ["switch": f.sw])
        try await expectRefusal(f.api, .post, "/v1/routers/\(router)/interfaces", body: ["switch": overlapping], status: 409,
                                code: "cidr_overlap", field: "switch")
        try await expectRefusal(f.api, .post, "/v1/routers/\(router)/routes", body: ["destination": "10.50.0.0/16", "nexthop": "10.77.0.1"],
                                status: 400, code: "nexthop_unreachable", field: "nexthop")

        _ = try await f.api.create("/v1/switches", ["tenant": f.tenant, "name": "third", "cidr": "10.3.0.0/24"])
        try await expectRefusal(f.api, .post, "/v1/switches", body: ["tenant": f.tenant, "name": "fourth", "cidr": "10.4.0.0/24"],
                                status: 409, code: "quota_exceeded", field: "switches")

        let external = try await f.api.create("/v1/external-networks", [
            "name": "corp", "cidr": "203.0.113.0/24", "poolStart": "203.0.113.10", "poolEnd": "203.0.113.11",
        ]).string("id")
        try await expectRefusal(f.api, .post, "/v1/external-networks", body: ["name": "corp2", "cidr": "203.0.113.128/25"], status: 409,
                                code: "cidr_overlap", field: "cidr")
        _ = try await f.api.create("/v1/routers", ["tenant": f.tenant, "name": "r2", "externalNetwork": external])
        try await expectRefusal(f.api, .post, "/v1/floating-ips", body: ["tenant": f.tenant, "externalNetwork": external,
                                                                         "address": "203.0.113.10"],
                                status: 409, code: "ip_taken", field: "address")
        _ = try await f.api.create("/v1/floating-ips", ["tenant": f.tenant, "externalNetwork": external])
        try await expectRefusal(f.api, .post, "/v1/floating-ips", body: ["tenant": f.tenant, "externalNetwork": external], status: 409,
                                code: "quota_exceeded", field: "floatingIps")
        try await expectRefusal(f.api, .post, "/v1/routers", body: ["tenant": f.tenant, "name": "r3", "externalNetwork": external],
                                status: 409, code: "pool_exhausted", field: "externalNetwork")
        try await expectRefusal(f.api, .delete, "/v1/switches/\(f.sw)", status: 409, code: "in_use")
    }

    @Test func authAndMissingObjectsAreRefused() async throws {
        let f = try await fixture()
        defer { f.api.removeStore() }
        try await expectRefusal(f.api, .get, "/v1/switches", token: .some(nil), status: 401, code: "unauthorized")
        try await expectRefusal(f.api, .get, "/v1/switches", token: "syt_0000", status: 401, code: "unauthorized")
        try await expectRefusal(f.api, .post, "/v1/hosts", token: f.tenantToken, body: ["name": "h", "address": "198.18.0.9"], status: 403,
                                code: "forbidden")
        try await expectRefusal(f.api, .get, "/v1/hosts", token: f.tenantToken, status: 403, code: "forbidden")
        try await expectRefusal(f.api, .post, "/v1/external-networks", token: f.tenantToken, body: ["name": "e", "cidr": "198.51.100.0/24"],
                                status: 403, code: "forbidden")
        try await expectRefusal(f.api, .post, "/v1/tenants", token: f.tenantToken, body: ["name": "evil"], status: 403, code: "forbidden")
        try await expectRefusal(f.api, .post, "/v1/tenants/\(f.tenant)/tokens", token: f.tenantToken, body: [:], status: 403, code: "forbidden")
        try await expectRefusal(f.api, .get, "/v1/switches/sw-0000000000000000", status: 404, code: "not_found")
        try await expectRefusal(f.api, .post, "/v1/ports", body: ["switch": "sw-0000000000000000", "name": "p9"], status: 404,
                                code: "not_found", field: "switch")
        try await expectRefusal(f.api, .post, "/v1/switches", body: ["name": "s", "cidr": "10.9.0.0/24"], status: 400,
                                code: "missing_field", field: "tenant")
        try await expectRefusal(f.api, .get, "/v1/no-such-thing", status: 404, code: "not_found")
    }
}
