import Foundation
import HTTPTypes
import Testing

/// The server refuses what the OpenAPI document does not allow, and takes what it does: nulls only
/// where a schema says so, integers as JSON Schema reads them, every query value as its parameter's
/// schema states.
@Suite struct StrictRequestTests {
    struct Fixture {
        let api: TestAPI
        let tenant: String
        let sw: String
        let router: String
    }

    func fixture() async throws -> Fixture {
        let api = try await TestAPI()
        let tenant = try await api.create("/v1/tenants", ["name": "acme"]).string("id")
        let sw = try await api.create("/v1/switches", ["tenant": tenant, "name": "front", "cidr": "10.0.0.0/24", "cidr6": "fd00::/64"])
            .string("id")
        let router = try await api.create("/v1/routers", ["tenant": tenant, "name": "r1"]).string("id")
        return Fixture(api: api, tenant: tenant, sw: sw, router: router)
    }

    @Test func nullIsAValueOnlyWhereTheSchemaSaysSo() async throws {
        let f = try await fixture()
        defer { f.api.removeStore() }
        try await expectRefusal(f.api, .post, "/v1/tenants", rawBody: #"{"name": "x", "labels": null}"#, status: 400, code: "invalid_type",
                                field: "labels")
        try await expectRefusal(f.api, .post, "/v1/tenants", rawBody: #"{"name": "x", "quotas": {"ports": null}}"#, status: 400,
                                code: "invalid_type", field: "quotas.ports")
        try await expectRefusal(f.api, .post, "/v1/tenants", rawBody: #"{"name": "x", "quotas": {"gpus": null}}"#, status: 400,
                                code: "unknown_field", field: "quotas.gpus")
        try await expectRefusal(f.api, .post, "/v1/switches", rawBody: #"{"tenant": "\#(f.tenant)", "name": "x", "cidr": "10.1.0.0/24", "cidr6": null}"#,
                                status: 400, code: "invalid_type", field: "cidr6")
        try await expectRefusal(f.api, .patch, "/v1/switches/\(f.sw)", rawBody: #"{"mtu": null}"#, status: 400, code: "invalid_type", field: "mtu")
        try await expectRefusal(f.api, .patch, "/v1/routers/\(f.router)", rawBody: #"{"snat": null}"#, status: 400, code: "invalid_type",
                                field: "snat")
        try await expectRefusal(f.api, .patch, "/v1/tenants/\(f.tenant)", rawBody: #"{"quotas": {"routers": null}}"#, status: 400,
                                code: "invalid_type", field: "quotas.routers")
        // The fields a PATCH clears with null take it.
        let cleared = try await f.api.call(.patch, "/v1/routers/\(f.router)", rawBody: #"{"externalNetwork": null}"#)
        #expect(cleared.status == 200, "\(cleared.text)")
    }

    @Test func integralNumbersAreIntegersAndOthersAreRefused() async throws {
        let f = try await fixture()
        defer { f.api.removeStore() }
        let created = try await f.api.call(.post, "/v1/tenants", rawBody: #"{"name": "wide", "quotas": {"ports": 1610.0, "routers": 1e2}}"#)
        #expect(created.status == 201, "\(created.text)")
        let quotas = created.json["quotas"] as? [String: Any]
        #expect(quotas?["ports"] as? Int == 1610)
        #expect(quotas?["routers"] as? Int == 100)
        for number in ["1.5", "1e30", "-0.25"] {
            try await expectRefusal(f.api, .post, "/v1/tenants", rawBody: #"{"name": "x", "quotas": {"ports": \#(number)}}"#, status: 400,
                                    code: "invalid_type", field: "quotas.ports")
        }
        try await expectRefusal(f.api, .patch, "/v1/switches/\(f.sw)", rawBody: #"{"mtu": 1500.5}"#, status: 400, code: "invalid_type",
                                field: "mtu")
    }

    @Test func listFiltersAreCheckedAsTheirParametersState() async throws {
        let f = try await fixture()
        defer { f.api.removeStore() }
        let refused = [
            ("/v1/switches?vni=0", "vni"), ("/v1/switches?vni=16777216", "vni"), ("/v1/switches?vni=07", "vni"),
            ("/v1/ports?name=Front", "name"), ("/v1/ports?name=%C3%97", "name"), ("/v1/tenants?name=", "name"),
            ("/v1/ports?ip=10.0.0.256", "ip"), ("/v1/ports?ip=10.0.0.01", "ip"), ("/v1/floating-ips?address=", "address"),
            ("/v1/ports?mac=02:00:00:00:00", "mac"), ("/v1/hosts?role=gpu", "role"), ("/v1/hosts?address=h1", "address"),
            ("/v1/routers/\(f.router)/routes?destination=10.0.0.0/33", "destination"),
            ("/v1/routers/\(f.router)/routes?destination=10.0.0.0/024", "destination"), ("/v1/ports?limit=010", "limit"),
        ]
        for (path, field) in refused {
            try await expectRefusal(f.api, .get, path, status: 400, code: "invalid_query", field: field)
        }
        // Ids are any string: one that names nothing matches nothing.
        for path in ["/v1/ports?switch=%C3%97%00", "/v1/switches?tenant=", "/v1/routers?externalNetwork=x%2Fy", "/v1/ports?cursor=%F0%9F%98%8D"] {
            let response = try await f.api.call(.get, path)
            #expect(response.status == 200, "\(path): \(response.text)")
        }
        // A prefix with host bits set is well-formed and matches no route.
        let route = try await f.api.call(.get, "/v1/routers/\(f.router)/routes?destination=10.20.0.1/16")
        #expect(route.status == 200 && route.items.isEmpty)
        // Values are compared as the API prints them.
        let port = try await f.api.create("/v1/ports", ["switch": f.sw, "name": "p1", "mac": "02:AB:00:00:00:01"])
        #expect(try await f.api.call(.get, "/v1/ports?mac=02:Ab:00:00:00:01").items.first?["id"] as? String == port.string("id"))
    }

    @Test func timeoutIsCheckedWheneverItIsPresent() async throws {
        let f = try await fixture()
        defer { f.api.removeStore() }
        for timeout in ["2.5s", "010s", "0s", "121s", "10"] {
            try await expectRefusal(f.api, .patch, "/v1/switches/\(f.sw)?timeout=\(timeout)", body: ["mtu": 1500], status: 400,
                                    code: "invalid_query", field: "timeout")
        }
        try await expectRefusal(f.api, .patch, "/v1/switches/\(f.sw)?wait=eventually", body: ["mtu": 1500], status: 400,
                                code: "invalid_query", field: "wait")
        #expect(try await f.api.call(.patch, "/v1/switches/\(f.sw)?timeout=120s", body: ["mtu": 1500]).status == 200)
    }

    @Test func prefixLengthsAreWrittenWithoutLeadingZeros() async throws {
        let f = try await fixture()
        defer { f.api.removeStore() }
        for cidr in ["10.1.0.0/024", "10.1.0.0/08"] {
            try await expectRefusal(f.api, .post, "/v1/switches", body: ["tenant": f.tenant, "name": "x", "cidr": cidr], status: 400,
                                    code: "invalid_cidr", field: "cidr")
        }
        try await expectRefusal(f.api, .post, "/v1/switches", body: ["tenant": f.tenant, "name": "x", "cidr": "10.1.0.0/24", "cidr6": "fd01::/064"],
                                status: 400, code: "invalid_cidr", field: "cidr6")
    }
}
