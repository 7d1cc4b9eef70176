import Foundation
import NIOCore
import Southbound

/// The agent's end of the wire format: one JSON message per frame (`schemas/wire.md`).
enum WireCodec {
    /// The frame payload for `message`.
    static func encode(_ message: AgentMessage) throws -> ByteBuffer {
        ByteBuffer(bytes: try JSONEncoder().encode(message))
    }

    /// The controller message in `frame`.
    /// - Throws: ``AgentError/malformedMessage(reason:)``.
    static func decode(_ frame: ByteBuffer) throws -> ControllerMessage {
        do {
            return try JSONDecoder().decode(ControllerMessage.self, from: Data(frame.readableBytesView))
        } catch {
            throw AgentError.malformedMessage(reason: "\(error)")
        }
    }
}
