import Foundation
import HTTPTypes
import Testing

/// Every committed change is in the audit trail with the token that made it (never its secret),
/// and each token reads only what it may see.
@Suite struct AuditTrailTests {
    @Test func everyChangeIsRecordedWithItsTokenAndEachScopeSeesItsOwn() async throws {
        let api = try await TestAPI()
        defer { api.removeStore() }
        let acme = try await api.create("/v1/tenants", ["name": "acme"]).string("id")
        let globex = try await api.create("/v1/tenants", ["name": "globex"]).string("id")
        let issued = try await api.create("/v1/tenants/\(acme)/tokens", [:])
        let (token, tokenID) = (issued.string("token"), issued.string("id"))
        let web = try await api.create("/v1/projects", ["name": "web"], token: token).string("id")
        let projectToken = try await api.create("/v1/tenants/\(acme)/tokens", ["project": web]).string("token")
        let sw = try await api.create("/v1/switches", ["name": "front", "cidr": "10.0.0.0/24", "project": web], token: token).string("id")
        let port = try await api.create("/v1/ports", ["switch": sw, "name": "p1"], token: token).string("id")
        #expect(try await api.call(.patch, "/v1/ports/\(port)", token: token, body: ["labels": ["app": "web"]]).status == 200)
        #expect(try await api.call(.delete, "/v1/ports/\(port)", token: token).status == 200)
        _ = try await api.create("/v1/switches", ["tenant": globex, "name": "other", "cidr": "10.0.0.0/24"])

        let ports = try await api.call(.get, "/v1/audit?kind=ports&object=\(port)", token: token)
        #expect(ports.status == 200)
        #expect(ports.items.map { $0["operation"] as? String } == ["create", "update", "delete"])
        let actor = try #require(ports.items.first?["actor"] as? [String: Any])
        #expect(actor["token"] as? String == tokenID && actor["scope"] as? String == "tenant:\(acme)")
        #expect(!ports.text.contains(token), "the trail never holds a secret")
        #expect(ports.items.allSatisfy { $0["revision"] is Int && $0["at"] is String })

        let seenByAcme = try await api.call(.get, "/v1/audit?limit=1000", token: token).items
        #expect(!seenByAcme.isEmpty && seenByAcme.allSatisfy { $0["tenant"] as? String == acme })
        let seenByProject = try await api.call(.get, "/v1/audit?limit=1000", token: projectToken).items
        #expect(!seenByProject.isEmpty && seenByProject.allSatisfy { $0["project"] as? String == web })
        let seenByAdmin = try await api.call(.get, "/v1/audit?limit=1000").items
        #expect(seenByAdmin.contains { $0["tenant"] as? String == globex })
        #expect(seenByAdmin.count > seenByAcme.count)

        // Pages follow the trail's order.
        let first = try await api.call(.get, "/v1/audit?limit=2")
        let next = try #require(first.json["next"] as? String)
        let second = try await api.call(.get, "/v1/audit?limit=2&cursor=\(next)")
        let sequences = (first.items + second.items).compactMap { $0["sequence"] as? Int }
        #expect(sequences == sequences.sorted() && Set(sequences).count == 4)
    }

    @Test func malformedQueriesAreRefused() async throws {
        let api = try await TestAPI()
        defer { api.removeStore() }
        for query in ["kind=wizards", "operation=rename", "limit=0", "cursor=-1", "cursor=x", "tenant=tn-1"] {
            try await expectRefusal(api, .get, "/v1/audit?\(query)", status: 400, code: "invalid_query")
        }
    }
}
