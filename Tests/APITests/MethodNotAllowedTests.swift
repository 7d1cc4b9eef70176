import API
import Foundation
import HTTPTypes
import Testing
import Yams

/// A method a path does not have is 405 with an `Allow` header naming the methods it has, exactly
/// those the document declares for the path; a path the router does not have stays 404.
@Suite struct MethodNotAllowedTests {
    @Test func undeclaredMethodsOnAPathAre405WithAllow() async throws {
        let api = try await TestAPI()
        defer { api.removeStore() }
        for method in [HTTPRequest.Method("TRACE")!, .put, .head, .options] {
            try await expectRefusal(api, method, "/v1/tenants", status: 405, code: "method_not_allowed")
            #expect(try await api.call(method, "/v1/tenants").headers[.allow] == "GET, POST")
        }
        let tenant = try await api.create("/v1/tenants", ["name": "acme"]).string("id")
        let put = try await api.call(.put, "/v1/tenants/\(tenant)", body: ["name": "x"])
        #expect(put.status == 405)
        #expect(put.headers[.allow] == "DELETE, GET, PATCH")
        #expect(try await api.call(.post, "/v1/revision").headers[.allow] == "GET")
        // No token needed to learn a path's methods, as for the document itself.
        #expect(try await api.call(.delete, "/v1/openapi.yaml", token: .some(nil)).status == 405)
        try await expectRefusal(api, HTTPRequest.Method("TRACE")!, "/v1/no-such-thing", status: 404, code: "not_found")
        try await expectRefusal(api, .get, "/v1/tenants/\(tenant)/tokens/tk-1/extra", status: 404, code: "not_found")
    }

    @Test func allowNamesTheMethodsTheDocumentDeclares() async throws {
        let api = try await TestAPI()
        defer { api.removeStore() }
        let document = try #require(try Yams.load(yaml: String(decoding: try OpenAPIDocument.bytes(), as: UTF8.self)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let methods: Set<String> = ["get", "post", "put", "patch", "delete", "head", "options", "trace"]
        for (path, operations) in paths {
            let declared = operations.keys.filter(methods.contains).map { $0.uppercased() }.sorted().joined(separator: ", ")
            let concrete = path.replacingOccurrences(of: #"\{[^}]+\}"#, with: "x", options: .regularExpression)
            let response = try await api.call(.options, concrete)
            #expect(response.status == 405, "\(path)")
            #expect(response.headers[.allow] == declared, "\(path)")
        }
    }
}
