import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// Docker's plugin socket: HTTP POSTs of JSON on a unix socket (mode 0600) where dockerd discovers
/// plugins (`/run/docker/plugins/NAME.sock`; NAME is the driver's name in `docker network create
/// -d NAME --ipam-driver NAME`). Every call goes to the ``DockerDriver``.
public final class DockerPluginServer: Sendable {
    private let socket: RootOnlySocket<HTTPServerRequestPart, HTTPServerResponsePart>
    private let driver: DockerDriver
    private let logger: Logger
    public let path: String

    /// Libnetwork's bodies are small; anything larger is not Docker.
    static let maximumBody = 1 << 20

    public static func bind(path: String, driver: DockerDriver, logger: Logger,
                            eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> DockerPluginServer {
        let socket = try await RootOnlySocket<HTTPServerRequestPart, HTTPServerResponsePart>.bind(
            path: path, directoryMode: 0o755, eventLoopGroup: eventLoopGroup
        ) { child in
            try child.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
            return try NIOAsyncChannel(wrappingChannelSynchronously: child)
        }
        return DockerPluginServer(socket: socket, driver: driver, logger: logger, path: path)
    }

    private init(socket: RootOnlySocket<HTTPServerRequestPart, HTTPServerResponsePart>, driver: DockerDriver, logger: Logger, path: String) {
        self.socket = socket
        self.driver = driver
        self.logger = logger
        self.path = path
    }

    /// Serves connections until cancelled.
    public func run() async throws {
        try await socket.run { try await self.serve($0) }
    }

    private func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async throws {
        try await connection.executeThenClose { parts, responses in
            var head: HTTPRequestHead?
            var body: [UInt8] = []
            for try await part in parts {
                switch part {
                case .head(let started):
                    head = started
                    body = []
                case .body(let chunk):
                    guard body.count + chunk.readableBytes <= Self.maximumBody else { return }
                    body += chunk.readableBytesView
                case .end:
                    guard let request = head else { continue }
                    let answer: [UInt8]
                    let status: HTTPResponseStatus
                    if request.method == .POST {
                        answer = await driver.answer(path: request.uri, body: body)
                        status = .ok
                    } else {
                        answer = Array("{\"Err\":\"plugin calls are POSTs\"}".utf8)
                        status = .methodNotAllowed
                    }
                    if answer.starts(with: Array("{\"Err".utf8)) {
                        logger.warning("docker call refused", metadata: ["call": "\(request.uri)", "answer": "\(String(decoding: answer, as: UTF8.self))"])
                    }
                    let headers = HTTPHeaders([("Content-Type", DockerPlugin.contentType), ("Content-Length", String(answer.count))])
                    try await responses.write(.head(HTTPResponseHead(version: request.version, status: status, headers: headers)))
                    try await responses.write(.body(.byteBuffer(ByteBuffer(bytes: answer))))
                    try await responses.write(.end(nil))
                    if !request.isKeepAlive { return }
                    head = nil
                }
            }
        }
    }
}
