import Foundation
import HTTPTypes
import Testing

/// A tenant trying what a hostile tenant would: numbers at and beyond their limits, names and
/// labels carrying nft or shell syntax, references to another tenant's objects, placement, and
/// unbounded router state. Each attempt is refused with a clear error and changes nothing.
@Suite struct HostileTenantTests {
    struct Fixture {
        let api: TestAPI
        let tenant: String
        let token: String
        let sw: String
        let router: String
        let external: String
        /// Another tenant's objects.
        let otherSwitch: String
        let otherRouter: String
        let otherPort: String
        let otherProject: String
        let host: String
    }

    func fixture() async throws -> Fixture {
        let api = try await TestAPI()
        let external = try await api.create("/v1/external-networks", [
            "name": "corp", "cidr": "203.0.113.0/24", "poolStart": "203.0.113.10", "poolEnd": "203.0.113.99",
        ]).string("id")
        let tenant = try await api.create("/v1/tenants", ["name": "mallory", "quotas": ["routesPerRouter": 3, "interfacesPerRouter": 1]])
            .string("id")
        let token = try await api.create("/v1/tenants/\(tenant)/tokens", [:]).string("token")
        let sw = try await api.create("/v1/switches", ["name": "a", "cidr": "10.0.0.0/24"], token: token).string("id")
        let router = try await api.create("/v1/routers", ["name": "r", "externalNetwork": external], token: token).string("id")
        let other = try await api.create("/v1/tenants", ["name": "alice"]).string("id")
        let otherProject = try await api.create("/v1/projects", ["tenant": other, "name": "web"]).string("id")
        let otherSwitch = try await api.create("/v1/switches", ["tenant": other, "name": "b", "cidr": "10.0.0.0/24"]).string("id")
        let otherRouter = try await api.create("/v1/routers", ["tenant": other, "name": "r"]).string("id")
        let otherPort = try await api.create("/v1/ports", ["switch": otherSwitch, "name": "p"]).string("id")
        let host = try await api.create("/v1/hosts", ["name": "hv1", "address": "198.18.0.11"]).string("id")
        return Fixture(api: api, tenant: tenant, token: token, sw: sw, router: router, external: external, otherSwitch: otherSwitch,
                       otherRouter: otherRouter, otherPort: otherPort, otherProject: otherProject, host: host)
    }

    @Test func numericQueryParametersBeyondTheirLimitsAreRefused() async throws {
        let f = try await fixture()
        defer { f.api.removeStore() }
        let body = ["name": "p", "switch": f.sw]
        for timeout in ["infs", "nans", "1e30s", "-1s", "0s", "121s", "1.5s", "99999999999999999999999s", "s", "10", "１０s", " 10s", "+10s"] {
            let query = Self.percentEncoded(timeout)
            try await expectRefusal(f.api, .post, "/v1/ports?wait=realized&timeout=\(query)", token: f.token, body: body,
                                    status: 400, code: "invalid_query", field: "timeout")
        }
        for limit in ["0", "1001", "-1", "1e3", "nan", "inf", "99999999999999999999", "", "٣"] {
            let query = Self.percentEncoded(limit)
            try await expectRefusal(f.api, .get, "/v1/ports?limit=\(query)", token: f.token, status: 400, code: "invalid_query", field: "limit")
        }
        // The controller is still there, and the limits themselves are accepted.
        #expect(try await f.api.call(.get, "/v1/ports?limit=1000", token: f.token).status == 200)
        #expect(try await f.api.call(.post, "/v1/ports?wait=realized&timeout=120s", token: f.token, body: body).status == 201)
    }

    /// Everything but ASCII letters and digits percent-encoded, as a client puts any text in a query.
    static func percentEncoded(_ text: String) -> String {
        let plain = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        return text.addingPercentEncoding(withAllowedCharacters: plain) ?? text
    }

    @Test func labelFiltersFollowTheLabelRules() async throws {
        let f = try await fixture()
        defer { f.api.removeStore() }
        for filter in ["a%22b=1", "a'b=1", "$(id)=1", "a=b%22", "%C3%A9=1", String(repeating: "k", count: 64) + "=1"] {
            try await expectRefusal(f.api, .get, "/v1/ports?label=\(filter)", token: f.token, status: 400, code: "invalid_query", field: "label")
        }
        #expect(try await f.api.call(.get, "/v1/ports?label=app.kubernetes.io/name=web", token: f.token).status == 200)
    }

    @Test func namesAndLabelsCarryingSyntaxNeverReachTheStore() async throws {
        let f = try await fixture()
        defer { f.api.removeStore() }
        let names = ["a;b", "$(reboot)", "`id`", "a\"b", "x y", "a\nb", "uplink\"; drop", "Ab", "é", String(repeating: "a", count: 64), "-a", ""]
        for name in names {
            try await expectRefusal(f.api, .post, "/v1/switches", token: f.token, body: ["name": name, "cidr": "10.9.0.0/24"],
                                    status: 400, code: "invalid_name", field: "name")
        }
        for (key, value) in [("a b", "1"), ("k", "v;w"), ("k", "$(x)"), ("k", String(repeating: "v", count: 64)), ("ké", "v"), ("k", "a/b")] {
            try await expectRefusal(f.api, .post, "/v1/ports", token: f.token, body: ["name": "p", "switch": f.sw, "labels": [key: value]],
                                    status: 400, code: "invalid_label")
        }
    }

    @Test func referencesToAnotherTenantsObjectsAreNotFound() async throws {
        let f = try await fixture()
        defer { f.api.removeStore() }
        try await expectRefusal(f.api, .post, "/v1/ports", token: f.token, body: ["name": "p", "switch": f.otherSwitch],
                                status: 404, code: "not_found", field: "switch")
        try await expectRefusal(f.api, .post, "/v1/switches", token: f.token,
                                body: ["name": "s", "cidr": "10.8.0.0/24", "project": f.otherProject], status: 404, code: "not_found", field: "project")
        try await expectRefusal(f.api, .post, "/v1/switches", token: f.token,
                                body: ["name": "s", "cidr": "10.8.0.0/24", "tenant": "tn-0000000000"], status: 404, code: "not_found", field: "tenant")
        try await expectRefusal(f.api, .post, "/v1/routers/\(f.router)/interfaces", token: f.token, body: ["switch": f.otherSwitch],
                                status: 404, code: "not_found", field: "switch")
        try await expectRefusal(f.api, .post, "/v1/routers/\(f.otherRouter)/interfaces", token: f.token, body: ["switch": f.sw],
                                status: 404, code: "not_found")
        try await expectRefusal(f.api, .post, "/v1/routers/\(f.otherRouter)/routes", token: f.token,
                                body: ["destination": "10.50.0.0/16", "nexthop": "10.0.0.5"], status: 404, code: "not_found")
        try await expectRefusal(f.api, .post, "/v1/floating-ips", token: f.token, body: ["externalNetwork": f.external, "port": f.otherPort],
                                status: 404, code: "not_found", field: "port")
        for path in ["/v1/switches/\(f.otherSwitch)", "/v1/routers/\(f.otherRouter)", "/v1/ports/\(f.otherPort)"] {
            try await expectRefusal(f.api, .patch, path, token: f.token, body: ["labels": ["x": "y"]], status: 404, code: "not_found")
            try await expectRefusal(f.api, .delete, path, token: f.token, status: 404, code: "not_found")
        }
    }

    @Test func onlyAdminsBindPortsToHosts() async throws {
        let f = try await fixture()
        defer { f.api.removeStore() }
        try await expectRefusal(f.api, .post, "/v1/ports", token: f.token, body: ["name": "p", "switch": f.sw, "host": f.host],
                                status: 403, code: "forbidden", field: "host")
        let port = try await f.api.create("/v1/ports", ["name": "p", "switch": f.sw], token: f.token).string("id")
        try await expectRefusal(f.api, .patch, "/v1/ports/\(port)", token: f.token, body: ["host": f.host], status: 403, code: "forbidden",
                                field: "host")
        try await expectRefusal(f.api, .patch, "/v1/ports/\(port)", token: f.token, rawBody: #"{"host": null}"#, status: 403, code: "forbidden",
                                field: "host")
        let bound = try await f.api.call(.patch, "/v1/ports/\(port)", body: ["host": f.host])
        #expect(bound.status == 200)
        #expect(bound.json["host"] as? String == f.host)
    }

    @Test func routersHoldAtMostTheirQuotaOfRoutesAndInterfaces() async throws {
        let f = try await fixture()
        defer { f.api.removeStore() }
        _ = try await f.api.create("/v1/routers/\(f.router)/interfaces", ["switch": f.sw], token: f.token)
        let second = try await f.api.create("/v1/switches", ["name": "b", "cidr": "10.1.0.0/24"], token: f.token).string("id")
        try await expectRefusal(f.api, .post, "/v1/routers/\(f.router)/interfaces", token: f.token, body: ["switch": second],
                                status: 409, code: "quota_exceeded", field: "interfacesPerRouter")
        for index in 0..<3 {
            _ = try await f.api.create("/v1/routers/\(f.router)/routes", ["destination": "10.\(100 + index).0.0/16", "nexthop": "10.0.0.5"],
                                       token: f.token)
        }
        try await expectRefusal(f.api, .post, "/v1/routers/\(f.router)/routes", token: f.token,
                                body: ["destination": "10.200.0.0/16", "nexthop": "10.0.0.5"], status: 409, code: "quota_exceeded",
                                field: "routesPerRouter")
        // The quota is the admin's to raise, within a bound.
        try await expectRefusal(f.api, .patch, "/v1/tenants/\(f.tenant)", body: ["quotas": ["routesPerRouter": 1_001]],
                                status: 400, code: "invalid_value", field: "quotas.routesPerRouter")
        #expect(try await f.api.call(.patch, "/v1/tenants/\(f.tenant)", body: ["quotas": ["routesPerRouter": 4]]).status == 200)
        _ = try await f.api.create("/v1/routers/\(f.router)/routes", ["destination": "10.200.0.0/16", "nexthop": "10.0.0.5"], token: f.token)
    }

    @Test func nextHopsInTheExternalPoolAreRefused() async throws {
        let f = try await fixture()
        defer { f.api.removeStore() }
        let uplink = try #require(try await f.api.call(.get, "/v1/routers/\(f.router)", token: f.token).json["uplinkIp"] as? String)
        for nexthop in [uplink, "203.0.113.10", "203.0.113.50", "203.0.113.99"] {
            try await expectRefusal(f.api, .post, "/v1/routers/\(f.router)/routes", token: f.token,
                                    body: ["destination": "10.0.0.0/8", "nexthop": nexthop], status: 400, code: "nexthop_forbidden",
                                    field: "nexthop")
        }
        // A gateway on the external network outside the pool is a legitimate next hop.
        _ = try await f.api.create("/v1/routers/\(f.router)/routes", ["destination": "192.0.2.0/24", "nexthop": "203.0.113.5"], token: f.token)
    }

    @Test func anUplinkWhosePoolHoldsAnExistingNextHopIsRefused() async throws {
        let f = try await fixture()
        defer { f.api.removeStore() }
        // A router without uplink, on a switch that reuses the external network's addresses.
        let router = try await f.api.create("/v1/routers", ["name": "inner"], token: f.token).string("id")
        let sw = try await f.api.create("/v1/switches", ["name": "look-alike", "cidr": "203.0.113.0/24"], token: f.token).string("id")
        _ = try await f.api.create("/v1/routers/\(router)/interfaces", ["switch": sw], token: f.token)
        _ = try await f.api.create("/v1/routers/\(router)/routes", ["destination": "10.60.0.0/16", "nexthop": "203.0.113.50"], token: f.token)
        try await expectRefusal(f.api, .patch, "/v1/routers/\(router)", token: f.token, body: ["externalNetwork": f.external],
                                status: 400, code: "nexthop_forbidden", field: "externalNetwork")
    }
}
