import Foundation
import Testing

/// `GET /v1/health` needs no token and says which store the controller reads and at which revision.
@Suite struct HealthTests {
    @Test func healthNeedsNoTokenAndNamesTheStore() async throws {
        let api = try await TestAPI()
        defer { api.removeStore() }
        _ = try await api.create("/v1/tenants", ["name": "acme"])
        let health = try await api.call(.get, "/v1/health", token: .some(nil))
        #expect(health.status == 200, "\(health.text)")
        #expect(health.json["status"] as? String == "ok")
        #expect(health.json["store"] as? String == (api.store.isShared ? "postgres" : "sqlite"))
        #expect(health.json["revision"] as? Int == 1)
        #expect(health.json["leader"] as? Bool == true, "the only controller leads")
    }
}
