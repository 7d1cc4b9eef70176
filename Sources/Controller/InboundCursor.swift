import NIOCore
import SessionTransport
import Synchronization

/// The inbound frames of one session, handed to the single task that reads them.
final class InboundCursor: @unchecked Sendable {
    // Unchecked: only the session's reader task calls `next()`; the iterator is never shared.
    private var iterator: InboundFrames.AsyncIterator

    init(_ iterator: InboundFrames.AsyncIterator) { self.iterator = iterator }

    func next() async throws -> ByteBuffer? { try await iterator.next() }
}

/// When the peer was last heard from.
final class LastHeard: Sendable {
    private let instant = Mutex(ContinuousClock.now)

    func touch() { instant.withLock { $0 = .now } }

    var silence: Duration { ContinuousClock.now - instant.withLock { $0 } }
}
