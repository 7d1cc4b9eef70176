import Foundation
import Synchronization

/// Tells subscribers the latest committed revision after each group commit.
/// A slow subscriber sees only the newest revision, never a backlog: it reads the changes itself.
final class CommitNotifier: Sendable {
    private let subscribers = Mutex<[UUID: AsyncStream<Int64>.Continuation]>([:])

    func subscribe() -> AsyncStream<Int64> {
        let (stream, continuation) = AsyncStream.makeStream(of: Int64.self, bufferingPolicy: .bufferingNewest(1))
        let id = UUID()
        subscribers.withLock { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in self?.subscribers.withLock { _ = $0.removeValue(forKey: id) } }
        return stream
    }

    func publish(_ revision: Int64) {
        let continuations = subscribers.withLock { Array($0.values) }
        for continuation in continuations { continuation.yield(revision) }
    }
}
