import Foundation
import Synchronization

/// Tells subscribers the latest value (a committed revision after each group commit; that some
/// controller reported host status). A slow subscriber sees only the newest value, never a
/// backlog: it reads what changed itself.
final class LatestBroadcast<Value: Sendable>: Sendable {
    private let subscribers = Mutex<[UUID: AsyncStream<Value>.Continuation]>([:])

    func subscribe() -> AsyncStream<Value> {
        let (stream, continuation) = AsyncStream.makeStream(of: Value.self, bufferingPolicy: .bufferingNewest(1))
        let id = UUID()
        subscribers.withLock { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in self?.subscribers.withLock { _ = $0.removeValue(forKey: id) } }
        return stream
    }

    func publish(_ value: Value) {
        let continuations = subscribers.withLock { Array($0.values) }
        for continuation in continuations { continuation.yield(value) }
    }
}
