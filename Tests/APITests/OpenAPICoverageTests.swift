import API
import Foundation
import Testing
import Yams

/// `schemas/openapi.yaml` names exactly the routes the server has, and is what the server serves.
@Suite struct OpenAPICoverageTests {
    @Test func everyRouteIsDocumentedAndNothingElse() async throws {
        let api = try await TestAPI()
        defer { api.removeStore() }
        let served = try await api.call(.get, "/v1/openapi.yaml", token: .some(nil))
        #expect(served.status == 200)
        let document = try #require(try Yams.load(yaml: served.text) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let methods: Set<String> = ["get", "post", "put", "patch", "delete"]
        let documented = Set(paths.flatMap { path, operations in
            operations.keys.filter(methods.contains).map { "\($0.uppercased()) \(path)" }
        })
        let routed = Set(APIRouter.make(store: api.store).routes.map { route in
            let path = route.path.description.split(separator: "/").map { segment in
                segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
            }.joined(separator: "/")
            return "\(route.method.rawValue) /\(path)"
        })
        #expect(routed.subtracting(documented).isEmpty, "undocumented routes: \(routed.subtracting(documented).sorted())")
        #expect(documented.subtracting(routed).isEmpty, "documented but not served: \(documented.subtracting(routed).sorted())")
    }
}
