import Foundation
import NIOCore
import PKI
import SessionTransport
import Southbound

/// A controller for tests: a real `SessionListener` on 127.0.0.1 whose sessions the test drives
/// by hand, message by message, through ``FakeSession``.
struct FakeController {
    let authority: TestAuthority
    let listener: SessionListener
    /// Every session accepted, in order.
    let sessions: AsyncQueue<FakeSession>

    var port: Int { listener.port }

    /// Runs a fake controller for the duration of `body`, then closes it and waits for its sessions.
    static func with(_ body: (FakeController) async throws -> Void) async throws {
        let authority = try TestAuthority()
        let sessions = AsyncQueue<FakeSession>()
        let listener = try await SessionListener.bind(
            host: "127.0.0.1",
            port: 0,
            configuration: authority.serverConfiguration(),
            // Generous: on a loaded machine a handshake can take seconds, and admission is not under test here.
            admission: AdmissionLimits(identificationDeadline: .seconds(60)),
            isRevoked: { _, _ in false },
            handler: { session, inbound, outbound in
                await session.identified()
                try await serve(session.peer, inbound, outbound, into: sessions)
            }
        )
        let controller = FakeController(authority: authority, listener: listener, sessions: sessions)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await listener.run() }
            do {
                try await body(controller)
            } catch {
                await listener.close()
                throw error
            }
            await listener.close()
            try await group.waitForAll()
        }
    }

    /// Hands the session to the test and keeps the connection until the test or the agent closes it.
    private static func serve(_ peer: PeerIdentity, _ inbound: InboundFrames, _ outbound: FrameWriter,
                              into sessions: AsyncQueue<FakeSession>) async throws {
        let (closed, closer) = AsyncStream.makeStream(of: Void.self)
        let session = FakeSession(peer: peer, outbound: outbound, closer: closer)
        await sessions.append(session)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                // A frame that is not a message, or a broken connection, ends the session like a close.
                try? await record(inbound, into: session)
                await session.messages.finish()
            }
            group.addTask {
                for await _ in closed {}
            }
            await group.next()
            group.cancelAll()
        }
    }

    private static func record(_ inbound: InboundFrames, into session: FakeSession) async throws {
        for try await frame in inbound {
            await session.messages.append(try JSONDecoder().decode(AgentMessage.self, from: Data(frame.readableBytesView)))
        }
    }
}
