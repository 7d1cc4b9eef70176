import Foundation
import Testing

/// A tenant token sees and changes only its own tenant's objects; a project token only its project's.
@Suite struct TenantIsolationTests {
    @Test func tenantsCannotSeeOrTouchEachOther() async throws {
        let api = try await TestAPI()
        defer { api.removeStore() }
        let acme = try await api.create("/v1/tenants", ["name": "acme"]).string("id")
        let globex = try await api.create("/v1/tenants", ["name": "globex"]).string("id")
        let acmeToken = try await api.create("/v1/tenants/\(acme)/tokens", [:]).string("token")
        let globexToken = try await api.create("/v1/tenants/\(globex)/tokens", [:]).string("token")

        // Both tenants use the same CIDR: tenant address spaces are independent.
        let acmeSwitch = try await api.create("/v1/switches", ["name": "net", "cidr": "10.0.0.0/24"], token: acmeToken)
        let globexSwitch = try await api.create("/v1/switches", ["name": "net", "cidr": "10.0.0.0/24"], token: globexToken)
        #expect(acmeSwitch.string("tenant") == acme && globexSwitch.string("tenant") == globex)
        let acmePort = try await api.create("/v1/ports", ["switch": acmeSwitch.string("id"), "name": "p"], token: acmeToken)
        let globexPort = try await api.create("/v1/ports", ["switch": globexSwitch.string("id"), "name": "p"], token: globexToken)
        #expect(acmePort.string("ip") == globexPort.string("ip"))

        // Reads and lists.
        #expect(try await api.call(.get, "/v1/switches/\(globexSwitch.string("id"))", token: acmeToken).status == 404)
        #expect(try await api.call(.get, "/v1/ports/\(globexPort.string("id"))", token: acmeToken).status == 404)
        #expect(try await api.call(.get, "/v1/tenants/\(globex)", token: acmeToken).status == 404)
        let listed = try await api.call(.get, "/v1/switches", token: acmeToken)
        #expect(listed.items.map { $0.string("id") } == [acmeSwitch.string("id")])
        #expect(try await api.call(.get, "/v1/ports?tenant=\(globex)", token: acmeToken).items.isEmpty)
        #expect(try await api.call(.get, "/v1/ports", token: globexToken).items.map { $0.string("id") } == [globexPort.string("id")])

        // Writes: creating into, updating and deleting another tenant's objects.
        let revision = try await api.revision()
        #expect(try await api.call(.post, "/v1/ports", token: acmeToken, body: ["switch": globexSwitch.string("id"), "name": "x"]).status == 404)
        #expect(try await api.call(.post, "/v1/switches", token: acmeToken, body: ["tenant": globex, "name": "x", "cidr": "10.1.0.0/24"])
            .status == 404)
        #expect(try await api.call(.patch, "/v1/ports/\(globexPort.string("id"))", token: acmeToken, body: ["labels": ["a": "b"]]).status == 404)
        #expect(try await api.call(.patch, "/v1/switches/\(globexSwitch.string("id"))", token: acmeToken, body: ["mtu": 1400]).status == 404)
        #expect(try await api.call(.delete, "/v1/ports/\(globexPort.string("id"))", token: acmeToken).status == 404)
        #expect(try await api.call(.delete, "/v1/switches/\(globexSwitch.string("id"))", token: acmeToken).status == 404)
        let router = try await api.create("/v1/routers", ["name": "r"], token: acmeToken).string("id")
        #expect(try await api.call(.post, "/v1/routers/\(router)/interfaces", token: acmeToken, body: ["switch": globexSwitch.string("id")])
            .status == 404)
        #expect(try await api.call(.post, "/v1/routers/\(router)/interfaces", body: ["switch": globexSwitch.string("id")]).status == 404,
                "not even an admin can join two tenants' networks through a router")
        #expect(try await api.revision() == revision + 1, "only acme's own router was created")
        #expect(try await api.call(.get, "/v1/ports/\(globexPort.string("id"))", token: globexToken).json["labels"] as? [String: String] == [:])
    }

    @Test func projectTokensSeeOnlyTheirProject() async throws {
        let api = try await TestAPI()
        defer { api.removeStore() }
        let acme = try await api.create("/v1/tenants", ["name": "acme"]).string("id")
        let web = try await api.create("/v1/projects", ["tenant": acme, "name": "web"]).string("id")
        let ops = try await api.create("/v1/projects", ["tenant": acme, "name": "ops"]).string("id")
        let webToken = try await api.create("/v1/tenants/\(acme)/tokens", ["project": web]).string("token")
        let opsSwitch = try await api.create("/v1/switches", ["tenant": acme, "project": ops, "name": "ops-net", "cidr": "10.2.0.0/24"])
        let webSwitch = try await api.create("/v1/switches", ["name": "web-net", "cidr": "10.1.0.0/24"], token: webToken)
        #expect(webSwitch.string("project") == web, "a project token's objects land in its project")
        #expect(try await api.call(.get, "/v1/switches", token: webToken).items.map { $0.string("id") } == [webSwitch.string("id")])
        #expect(try await api.call(.get, "/v1/switches/\(opsSwitch.string("id"))", token: webToken).status == 404)
        #expect(try await api.call(.get, "/v1/projects", token: webToken).items.map { $0.string("id") } == [web])
        #expect(try await api.call(.post, "/v1/switches", token: webToken, body: ["project": ops, "name": "x", "cidr": "10.3.0.0/24"])
            .status == 404)
    }
}
