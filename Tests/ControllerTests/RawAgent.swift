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
                              _ body: (RawChannel) async throws -> T) async throws -> T {
        let configuration = try TLSConfigurations.sessionClient(certificate: certificate, privateKey: key, certificateAuthority: authority)
        return try await SessionConnector(configuration: configuration).withSession(host: "127.0.0.1", port: port) { inbound, outbound in
            let channel = RawChannel(outbound: outbound)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    var frames = inbound.makeAsyncIterator()
                    do {
                        while true { await channel.mailbox.put(try await Self.receive(&frames)) }
                    } catch {
                        await channel.mailbox.close()
                    }
                }
                // Like a real agent, stay alive with heartbeats whatever the test is doing.
                group.addTask {
                    while true {
                        try await Task.sleep(for: .milliseconds(100))
                        try await Self.send(.heartbeat, outbound)
                    }
                }
                defer { group.cancelAll() }
                return try await body(channel)
            }
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

/// One session: what the controller sent (heartbeats skipped), and a way to answer.
struct RawChannel: Sendable {
    let outbound: FrameWriter
    let mailbox = Mailbox()

    /// The next message, or a failure when the session closes first or nothing comes in time.
    func receive(within timeout: Duration = .seconds(5)) async throws -> ControllerMessage {
        guard let message = try await mailbox.take(within: timeout) else { throw TestFailure("nothing arrived within \(timeout)") }
        return message
    }

    /// Everything that arrives within `window`.
    func drain(for window: Duration) async throws -> [ControllerMessage] {
        try await Task.sleep(for: window)
        return await mailbox.takeAll()
    }

    func send(_ message: AgentMessage) async throws { try await RawAgent.send(message, outbound) }

    /// True when the controller closes the session within `timeout`.
    func closes(within timeout: Duration = .seconds(3)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await mailbox.isClosed { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }
}

/// Messages a session received and nobody has taken yet.
actor Mailbox {
    private var messages: [ControllerMessage] = []
    private(set) var isClosed = false

    func put(_ message: ControllerMessage) {
        if message != .heartbeat { messages.append(message) }
    }

    func close() { isClosed = true }

    func take(within timeout: Duration) async throws -> ControllerMessage? {
        let deadline = ContinuousClock.now + timeout
        while messages.isEmpty {
            if isClosed { throw TestFailure("the controller closed the session") }
            guard ContinuousClock.now < deadline else { return nil }
            try await Task.sleep(for: .milliseconds(5))
        }
        return messages.removeFirst()
    }

    func takeAll() -> [ControllerMessage] {
        defer { messages.removeAll() }
        return messages
    }
}
