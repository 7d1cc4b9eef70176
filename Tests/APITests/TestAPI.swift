import API
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import Store
import StoreTestSupport
import Testing

/// Drives the real router in-process, without a socket, against a fresh store (``ScratchStore``).
struct TestAPI {
    let store: Store
    let adminToken: String
    private let scratch: ScratchStore
    private let responder: any HTTPResponder<APIRequestContext>

    init() async throws {
        scratch = try await ScratchStore.make()
        (store, adminToken) = (scratch.store, scratch.adminToken)
        responder = APIRouter.make(store: store).buildResponder()
    }

    func removeStore() {
        scratch.remove()
    }

    @discardableResult
    func call(_ method: HTTPRequest.Method, _ path: String, token: String?? = .none, body: Any? = nil,
              rawBody: String? = nil, contentType: String = "application/json") async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token = token ?? adminToken { headers[.authorization] = "Bearer \(token)" }
        var buffer = ByteBuffer()
        if let body {
            buffer = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body))
            headers[.contentType] = contentType
        } else if let rawBody {
            buffer = ByteBuffer(string: rawBody)
            headers[.contentType] = contentType
        }
        let request = Request(
            head: HTTPRequest(method: method, scheme: "http", authority: "localhost", path: path, headerFields: headers),
            body: RequestBody(buffer: buffer))
        let response = try await responder.respond(to: request, context: APIRequestContext(logger: Logger(label: "test")))
        let collector = BodyCollector()
        try await response.body.write(collector)
        return TestResponse(status: response.status.code, headers: response.headers, data: collector.data)
    }

    /// Creates an object and returns its JSON; fails the caller when the API refuses.
    func create(_ path: String, _ body: [String: Any], token: String?? = .none) async throws -> [String: Any] {
        let response = try await call(.post, path, token: token, body: body)
        guard response.status == 201 else { throw UnexpectedResponse(response: response) }
        return response.json
    }

    func revision() async throws -> Int64 { try await store.revision() }
}

/// Sends a request that must be refused with `code` (and `field`, when given) and must change nothing.
func expectRefusal(_ api: TestAPI, _ method: HTTPRequest.Method, _ path: String, token: String?? = .none, body: Any? = nil,
                   rawBody: String? = nil, contentType: String = "application/json",
                   status: Int, code: String, field: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let before = try await api.revision()
    let response = try await api.call(method, path, token: token, body: body, rawBody: rawBody, contentType: contentType)
    #expect(response.status == status, "\(response.text)", sourceLocation: sourceLocation)
    #expect(response.errorCode == code, "\(response.text)", sourceLocation: sourceLocation)
    if let field { #expect(response.errorField == field, "\(response.text)", sourceLocation: sourceLocation) }
    let error = response.json["error"] as? [String: Any]
    #expect(error?["message"] is String, sourceLocation: sourceLocation)
    #expect(error?.keys.contains("field") == true, "the error shape always has a field key", sourceLocation: sourceLocation)
    #expect(try await api.revision() == before, "a refused request committed something", sourceLocation: sourceLocation)
}

struct TestResponse {
    let status: Int
    let headers: HTTPFields
    let data: Data

    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:] }
    var items: [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }
    var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
    var errorField: String? { (json["error"] as? [String: Any])?["field"] as? String }
    var text: String { String(decoding: data, as: UTF8.self) }
}

struct UnexpectedResponse: Error, CustomStringConvertible {
    let response: TestResponse
    var description: String { "HTTP \(response.status): \(response.text)" }
}

private struct BodyCollector: ResponseBodyWriter {
    private let box = NIOLockedValueBox(ByteBuffer())

    var data: Data { box.withLockedValue { Data($0.readableBytesView) } }

    func write(_ buffer: ByteBuffer) async throws {
        box.withLockedValue { $0.writeImmutableBuffer(buffer) }
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

extension [String: Any] {
    func string(_ key: String) -> String { self[key] as? String ?? "" }
}
