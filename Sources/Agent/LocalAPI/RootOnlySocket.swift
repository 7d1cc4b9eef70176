import Foundation
import LocalAPI
import NIOCore
import NIOPosix

/// A unix socket that only root may open (mode 0600), whose connections are served concurrently:
/// the local API's and Docker's plugin socket.
struct RootOnlySocket<Inbound: Sendable, Outbound: Sendable>: Sendable {
    typealias Connection = NIOAsyncChannel<Inbound, Outbound>
    private let channel: NIOAsyncChannel<Connection, Never>

    /// Binds `path` (its directory made with `directoryMode` when missing), replacing a stale
    /// socket; `wrap` sets up each connection's pipeline.
    static func bind(path: String, directoryMode: Int, eventLoopGroup: any EventLoopGroup,
                     wrap: @escaping @Sendable (any Channel) throws -> Connection) async throws -> RootOnlySocket {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: directoryMode])
        let channel = try await ServerBootstrap(group: eventLoopGroup)
            .bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true) { child in
                child.eventLoop.makeCompletedFuture { try wrap(child) }
            }
        guard chmod(path, 0o600) == 0 else { throw LocalAPIError(code: "socket", message: "cannot restrict \(path) to its owner") }
        return RootOnlySocket(channel: channel)
    }

    /// Serves each connection with `serve` until cancelled; a connection's failure ends only it.
    func run(_ serve: @escaping @Sendable (Connection) async throws -> Void) async throws {
        try await withThrowingDiscardingTaskGroup { group in
            try await channel.executeThenClose { connections in
                for try await connection in connections {
                    group.addTask { try? await serve(connection) }
                }
            }
        }
    }
}
