import LocalAPI
import Foundation
import Logging
import NIOCore
import NIOPosix

/// The agent's local API: newline-delimited JSON over a unix socket that only root may open
/// (mode 0600). The CNI plugin attaches, detaches and checks ports through it.
public final class LocalAPIServer: Sendable {
    private let socket: RootOnlySocket<ByteBuffer, ByteBuffer>
    private let store: AttachmentStore
    private let runtime: RuntimePorts?
    private let logger: Logger
    public let path: String

    /// Binds the socket at `path`, replacing a stale one, and restricts it to its owner.
    /// `runtime` serves the container runtimes' operations; without it they are refused.
    public static func bind(path: String, store: AttachmentStore, runtime: RuntimePorts? = nil,
                            logger: Logger = Logger(label: "switchyard.local-api"),
                            eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> LocalAPIServer {
        let socket = try await RootOnlySocket<ByteBuffer, ByteBuffer>.bind(path: path, directoryMode: 0o700, eventLoopGroup: eventLoopGroup) { child in
            try child.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineFrameDecoder()))
            return try NIOAsyncChannel(wrappingChannelSynchronously: child)
        }
        return LocalAPIServer(socket: socket, store: store, runtime: runtime, logger: logger, path: path)
    }

    private init(socket: RootOnlySocket<ByteBuffer, ByteBuffer>, store: AttachmentStore, runtime: RuntimePorts?, logger: Logger, path: String) {
        self.socket = socket
        self.store = store
        self.runtime = runtime
        self.logger = logger
        self.path = path
    }

    /// Serves connections until cancelled.
    public func run() async throws {
        try await socket.run { try await self.serve($0) }
    }

    private func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async throws {
        try await connection.executeThenClose { lines, replies in
            for try await line in lines {
                let response = await answer(Data(line.readableBytesView))
                var reply = ByteBuffer(bytes: try JSONEncoder().encode(response))
                reply.writeString("\n")
                try await replies.write(reply)
            }
        }
    }

    func answer(_ line: Data) async -> LocalAPIResponse {
        do {
            let request = try JSONDecoder().decode(LocalAPIRequest.self, from: line)
            switch request.op {
            case .attach:
                let attachment = PortAttachment(port: request.port ?? "", namespace: request.namespace ?? "",
                                                interfaceName: request.interfaceName ?? "eth0")
                let attached = try await store.attach(attachment)
                logger.info("port attached", metadata: ["port": "\(attached.port)", "namespace": "\(attached.namespace)"])
                return LocalAPIResponse(attachments: [attached])
            case .detach:
                let detached = try await store.detach(port: request.port ?? "")
                return LocalAPIResponse(attachments: detached.map { [$0] } ?? [])
            case .check:
                guard let attachment = await store.attachment(of: request.port ?? "") else {
                    return LocalAPIResponse(error: LocalAPIError(code: "not_attached", message: "port \(request.port ?? "") is not attached"))
                }
                return LocalAPIResponse(attachments: [attachment])
            case .list:
                return LocalAPIResponse(attachments: await store.all)
            case .add, .remove, .verify, .collect, .status:
                do {
                    return try await answerRuntime(request)
                } catch {
                    logger.warning("runtime request refused", metadata: [
                        "op": "\(request.op.rawValue)", "container": "\(request.owner?.containerID ?? "")",
                        "interface": "\(request.owner?.interfaceName ?? "")", "reason": "\(error)",
                    ])
                    throw error
                }
            }
        } catch let error as LocalAPIError {
            return LocalAPIResponse(error: error)
        } catch is DecodingError {
            return LocalAPIResponse(error: LocalAPIError(
                code: "invalid_request", message: "a request is a JSON object with op attach|detach|check|list|add|remove|verify|collect|status"))
        } catch {
            return LocalAPIResponse(error: LocalAPIError(code: "internal", message: "\(error)"))
        }
    }

    /// The container runtimes' operations; each names the container's interface in `owner`.
    private func answerRuntime(_ request: LocalAPIRequest) async throws -> LocalAPIResponse {
        guard let runtime else { throw LocalAPIError(code: "unsupported", message: "this agent does not serve container runtimes") }
        func required<T>(_ value: T?, _ field: String) throws -> T {
            guard let value else { throw LocalAPIError(code: "missing_\(field)", message: "\(request.op.rawValue) needs \(field)") }
            return value
        }
        switch request.op {
        case .add:
            let owner = try required(request.owner, "owner")
            let interface = try await runtime.add(owner: owner, namespace: try required(request.namespace, "namespace"),
                                                  network: try required(request.network, "network"), ip: request.ip,
                                                  labels: request.labels ?? [:], mtu: request.mtu,
                                                  defaultRoute: request.defaultRoute ?? (owner.interfaceName == "eth0"))
            logger.info("runtime port added", metadata: ["port": "\(interface.port)", "container": "\(owner.containerID)"])
            return LocalAPIResponse(interfaces: [interface])
        case .remove:
            let owner = try required(request.owner, "owner")
            let interfaceName = owner.interfaceName.isEmpty ? nil : owner.interfaceName
            let removed = try await runtime.remove(runtime: owner.runtime, containerID: owner.containerID, interfaceName: interfaceName)
            logger.info("runtime ports removed", metadata: [
                "container": "\(owner.containerID)", "interface": "\(owner.interfaceName)", "ports": "\(removed.map(\.port))",
            ])
            return LocalAPIResponse(attachments: removed)
        case .verify:
            return LocalAPIResponse(interfaces: [try await runtime.verify(owner: try required(request.owner, "owner"))])
        case .collect:
            return LocalAPIResponse(attachments: try await runtime.collect(runtime: try required(request.runtime, "runtime"),
                                                                           network: try required(request.network, "network"),
                                                                           keep: request.keep ?? []))
        default:
            try await runtime.status()
            return LocalAPIResponse()
        }
    }
}
