import NIOCore
import SessionTransport

/// Runs a listener on an ephemeral port of 127.0.0.1 for the duration of `body`, then closes it
/// and waits until every session has ended.
func withListener(
    _ authority: TestAuthority,
    log: ServerLog,
    revoked: Set<String> = [],
    // Generous by default: on a loaded machine a handshake can take seconds; AdmissionTests pass their own.
    admission: AdmissionLimits = AdmissionLimits(identificationDeadline: .seconds(60)),
    _ body: (SessionListener) async throws -> Void
) async throws {
    let listener = try await SessionListener.bind(
        host: "127.0.0.1",
        port: 0,
        configuration: authority.serverConfiguration(),
        admission: admission,
        isRevoked: log.revocationCheck(revoked: revoked),
        handler: log.echoHandler
    )
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await listener.run() }
        do {
            try await body(listener)
        } catch {
            await listener.close()
            throw error
        }
        await listener.close()
        try await group.waitForAll()
    }
}

/// How a client's attempt to talk ended.
enum Exchange: Equatable {
    /// The server answered with this frame.
    case answered(String)
    /// The connection failed or closed without an answer.
    case refused
}

extension SessionConnector {
    /// Sends one frame to 127.0.0.1:`port` and waits for the answer.
    func exchange(_ text: String, port: Int) async -> Exchange {
        do {
            return try await withSession(host: "127.0.0.1", port: port) { inbound, outbound in
                try await outbound.write(ByteBuffer(string: text))
                var frames = inbound.makeAsyncIterator()
                return try await frames.next().map { .answered(String(buffer: $0)) } ?? .refused
            }
        } catch {
            return .refused
        }
    }
}
