import Store

/// Keeps the store's change history bounded: every `interval` (5 s: a burst of deletes must not
/// pile up tombstones for long) it prunes the tombstones of all but the last `retainedRevisions`
/// revisions the hub has applied. The hub itself never needs more
/// (it reads every commit as it lands, and agents resume from what the hub holds in memory);
/// the retained window is for readers that follow the feed from outside and reconnect.
public struct HistoryPruner: Sendable {
    let store: Store
    let hub: SouthboundHub
    let retainedRevisions: Int64
    let interval: Duration

    public init(store: Store, hub: SouthboundHub, retainedRevisions: Int64 = 10_000, interval: Duration = .seconds(5)) {
        self.store = store
        self.hub = hub
        self.retainedRevisions = retainedRevisions
        self.interval = interval
    }

    /// Prunes now and then every interval, whenever the window has moved, until cancelled.
    public func run() async throws {
        var pruned: Int64 = 0
        while true {
            let horizon = await hub.revision - retainedRevisions
            if horizon > pruned {
                try await store.pruneHistory(through: horizon)
                pruned = horizon
            }
            try await Task.sleep(for: interval)
        }
    }
}
