import Store

/// Keeps the store's change history bounded: every `interval` it prunes the tombstones of all but
/// the last `retainedRevisions` revisions the hub has applied. The hub itself never needs more
/// (it reads every commit as it lands, and agents resume from what the hub holds in memory);
/// the retained window is for readers that follow the feed from outside and reconnect.
public struct HistoryPruner: Sendable {
    let store: Store
    let hub: SouthboundHub
    let retainedRevisions: Int64
    let interval: Duration

    public init(store: Store, hub: SouthboundHub, retainedRevisions: Int64 = 10_000, interval: Duration = .seconds(60)) {
        self.store = store
        self.hub = hub
        self.retainedRevisions = retainedRevisions
        self.interval = interval
    }

    /// Prunes once now and then every interval, until cancelled.
    public func run() async throws {
        while true {
            try await pruneOnce()
            try await Task.sleep(for: interval)
        }
    }

    /// Prunes what lies beyond the retained window; returns how many tombstones went.
    @discardableResult
    public func pruneOnce() async throws -> Int {
        let horizon = await hub.revision - retainedRevisions
        guard horizon > 0 else { return 0 }
        return try await store.pruneHistory(through: horizon)
    }
}
