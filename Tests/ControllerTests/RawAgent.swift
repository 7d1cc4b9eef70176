import Crypto
import Foundation
import NIOCore
import PKI
import SessionTransport
import Southbound
import X509

/// A bare-protocol agent for controller tests: it enrolls and speaks the session messages one by
/// one, so tests can assert exactly what the controller sends.
struct RawAgent: Sendable {
    let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
    let port: Int

    /// Enrolls with a join string; returns the certificate and CA, or the refusal.
    func enroll(join: String) async throws -> ControllerMessage {
        let parsed = try JoinString(parsing: join)
        let connector = try SessionConnector(configuration: try TLSConfigurations.enrollmentClient(certificateAuthority: nil),
                                             pinnedAuthority: parsed.caFingerprint)
        return try await connector.withSession(host: "127.0.0.1", port: port) { inbound, outbound in
            try await Self.send(.enroll(.init(token: parsed.tokenSecret, publicKeyPEM: try key.publicKey.pemEncoded())), outbound)
            var frames = inbound.makeAsyncIterator()
            return try await Self.receive(&frames)
        }
    }

    /// Opens a session with `certificate` and runs `body` with a channel to talk over.
    func session<T: Sendable>(certificate: Certificate, authority: Certificate,
                              _ body: (inout RawChannel) async throws -> T) async throws -> T {
        let configuration = try TLSConfigurations.sessionClient(certificate: certificate, privateKey: key, certificateAuthority: authority)
        return try await SessionConnector(configuration: configuration).withSession(host: "127.0.0.1", port: port) { inbound, outbound in
            var channel = RawChannel(frames: inbound.makeAsyncIterator(), outbound: outbound)
            return try await body(&channel)
        }
    }

    static func send(_ message: AgentMessage, _ outbound: FrameWriter) async throws {
        try await outbound.write(ByteBuffer(bytes: try JSONEncoder().encode(message)))
    }

    static func receive(_ frames: inout InboundFrames.AsyncIterator) async throws -> ControllerMessage {
        guard let frame = try await frames.next() else { throw TestFailure("the controller closed the session") }
        return try JSONDecoder().decode(ControllerMessage.self, from: Data(frame.readableBytesView))
    }
}

/// One session's frames, skipping heartbeats.
struct RawChannel {
    var frames: InboundFrames.AsyncIterator
    let outbound: FrameWriter

    mutating func receive() async throws -> ControllerMessage {
        while true {
            let message = try await RawAgent.receive(&frames)
            if message != .heartbeat { return message }
        }
    }

    func send(_ message: AgentMessage) async throws { try await RawAgent.send(message, outbound) }

    /// True when the controller closes the session (or sends nothing but heartbeats until it does).
    mutating func closes() async -> Bool {
        do {
            while true { if try await RawAgent.receive(&frames) != .heartbeat { return false } }
        } catch {
            return true
        }
    }
}
