import API
import Controller
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import Northbound
import PKI
import SessionTransport
import Store
import X509

/// A controller in-process: store, change feed, hub, the real TLS listener on an ephemeral port,
/// and the REST router driven without a socket.
final class TestController: Sendable {
    let store: Store
    let hub: SouthboundHub
    let server: SouthboundServer
    let authority: CertificateAuthority
    let southbound: ControllerSouthbound
    let directory: String
    private let responder: any HTTPResponder<APIRequestContext>
    private let tasks: NIOLockedValueBox<[Task<Void, any Error>]>

    static func start(certificateValidity: TimeInterval = CertificateAuthority.defaultLeafValidity,
                      maximumHostEntries: Int = SouthboundHub.defaultMaximumHostEntries,
                      admission: AdmissionLimits = AdmissionLimits(identificationDeadline: .seconds(60))) async throws -> TestController {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-ctl-\(UUID().uuidString)").path
        let token = try Store.initialize(dataDirectory: directory)
        let store = try Store(dataDirectory: directory)
        let authority = try CertificateAuthority.create()
        let (hub, feed) = try await ChangeFeedLoop.start(store: store, maximumHostEntries: maximumHostEntries)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let server = try await SouthboundServer.start(store: store, hub: hub, authority: authority, host: "127.0.0.1", port: 0,
                                                      serverNames: ["127.0.0.1"], heartbeat: .milliseconds(300),
                                                      certificateValidity: certificateValidity, admission: admission, logger: logger)
        let southbound = ControllerSouthbound(hub: hub, server: server, authority: authority, advertisedHost: "127.0.0.1",
                                              advertisedPort: server.port)
        let controller = TestController(store: store, hub: hub, server: server, authority: authority, southbound: southbound,
                                        directory: directory, adminToken: token)
        controller.tasks.withLockedValue {
            $0.append(Task { try await server.run() })
            $0.append(Task { try await feed.run() })
        }
        return controller
    }

    let adminToken: String

    private init(store: Store, hub: SouthboundHub, server: SouthboundServer, authority: CertificateAuthority,
                 southbound: ControllerSouthbound, directory: String, adminToken: String) {
        self.store = store
        self.hub = hub
        self.server = server
        self.authority = authority
        self.southbound = southbound
        self.directory = directory
        self.adminToken = adminToken
        responder = APIRouter.make(store: store, southbound: southbound).buildResponder()
        tasks = NIOLockedValueBox([])
    }

    func stop() async {
        for task in tasks.withLockedValue({ $0 }) { task.cancel() }
        await server.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Calls the REST API; returns the status and the JSON object.
    @discardableResult
    func call(_ method: HTTPRequest.Method, _ path: String, body: [String: Any]? = nil, token: String? = nil) async throws -> (Int, [String: Any]) {
        var headers: HTTPFields = [.authorization: "Bearer \(token ?? adminToken)"]
        var buffer = ByteBuffer()
        if let body {
            buffer = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body))
            headers[.contentType] = "application/json"
        }
        let request = Request(head: HTTPRequest(method: method, scheme: "http", authority: "localhost", path: path, headerFields: headers),
                              body: RequestBody(buffer: buffer))
        let response = try await responder.respond(to: request, context: APIRequestContext(logger: Logger(label: "test")))
        let collector = Collector()
        try await response.body.write(collector)
        let json = (try? JSONSerialization.jsonObject(with: collector.data)) as? [String: Any] ?? [:]
        return (response.status.code, json)
    }

    func create(_ path: String, _ body: [String: Any]) async throws -> String {
        let (status, json) = try await call(.post, path, body: body)
        guard status == 201, let id = json["id"] as? String else { throw TestFailure("POST \(path): \(status) \(json)") }
        return id
    }

    /// A join string for the host, from the real API.
    func joinString(host: String) async throws -> String {
        let (status, json) = try await call(.post, "/v1/hosts/\(host)/enroll-tokens", body: [:])
        guard status == 201, let join = json["joinString"] as? String else { throw TestFailure("enroll-tokens: \(status) \(json)") }
        return join
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

private struct Collector: ResponseBodyWriter {
    private let box = NIOLockedValueBox(ByteBuffer())
    var data: Data { box.withLockedValue { Data($0.readableBytesView) } }
    func write(_ buffer: ByteBuffer) async throws { box.withLockedValue { $0.writeImmutableBuffer(buffer) } }
    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
