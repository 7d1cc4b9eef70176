import Foundation
import NIOCore
import Southbound

/// The agent's end of the wire format: one JSON message per frame (`schemas/wire.md`).
enum WireCodec {
    /// The frame payload for `message`, through the streaming encoder: an ack per state, and
    /// with a thousand agents in one bench process Foundation's encoder was a share of each fan-out.
    static func encode(_ message: AgentMessage) throws -> ByteBuffer {
        ByteBuffer(bytes: try WireJSONEncoder().encode(message))
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
