import NIOConcurrencyHelpers
import NIOCore
import SessionTransport

/// What the server side of a test saw.
final class ServerLog: Sendable {
    private struct State {
        var peers: [PeerIdentity] = []
        var frames: [(PeerIdentity, String)] = []
        var revocationChecks: [String] = []
    }

    private let state = NIOLockedValueBox(State())

    var peers: [PeerIdentity] { state.withLockedValue { $0.peers } }
    var frames: [String] { state.withLockedValue { $0.frames.map(\.1) } }
    var revocationChecks: [String] { state.withLockedValue { $0.revocationChecks } }

    /// An echo handler that records each session's peer and frames and answers "ack <frame>".
    /// A peer with a certificate counts as identified at once, without a first message.
    var echoHandler: SessionListener.Handler {
        { session, inbound, outbound in
            let peer = session.peer
            if case .host = peer { await session.identified() }
            self.state.withLockedValue { $0.peers.append(peer) }
            for try await frame in inbound {
                let text = String(buffer: frame)
                self.state.withLockedValue { $0.frames.append((peer, text)) }
                try await outbound.write(ByteBuffer(string: "ack " + text))
            }
        }
    }

    /// An `isRevoked` that records its questions and answers true for `revoked` hosts.
    func revocationCheck(revoked: Set<String> = []) -> @Sendable (String, String) -> Bool {
        { host, _ in
            self.state.withLockedValue { $0.revocationChecks.append(host) }
            return revoked.contains(host)
        }
    }
}
