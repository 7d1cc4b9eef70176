import Foundation
import NIOCore
import SessionTransport
import Southbound

/// One connection accepted by the ``FakeController``, driven step by step by the test.
final class FakeSession: Sendable {
    /// Who the agent is, as TLS established it.
    let peer: PeerIdentity
    /// Every message the agent sent, heartbeats included; finished when the agent's side closes.
    let messages = AsyncQueue<AgentMessage>()
    private let outbound: FrameWriter
    private let closer: AsyncStream<Void>.Continuation

    init(peer: PeerIdentity, outbound: FrameWriter, closer: AsyncStream<Void>.Continuation) {
        self.peer = peer
        self.outbound = outbound
        self.closer = closer
    }

    func send(_ message: ControllerMessage) async throws {
        try await outbound.write(ByteBuffer(bytes: try JSONEncoder().encode(message)))
    }

    /// The next message that is not a heartbeat; nil when the agent closed the connection.
    func receive(within timeout: Duration = .seconds(10)) async throws -> AgentMessage? {
        while let message = try await messages.next(within: timeout) {
            if message != .heartbeat { return message }
        }
        return nil
    }

    /// Closes the connection from the controller's side.
    func close() {
        closer.finish()
    }
}
