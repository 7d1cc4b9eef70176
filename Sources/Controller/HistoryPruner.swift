import Logging
import Store

/// Keeps the store's change history bounded: every `interval` (5 s: a burst of deletes must not
/// pile up tombstones for long) it prunes the tombstones of all but the last `retainedRevisions`
/// revisions the hub has applied. The hub itself never needs them (it reads every commit as it
/// lands, and agents resume from what the hub holds in memory); the window is kept for readers
/// that follow the store's history from further back, and `ChangeFeedLoop` reads the whole state
/// should it ever find its own history pruned.
public struct HistoryPruner: Sendable {
    let store: Store
    let hub: SouthboundHub
    let retainedRevisions: Int64
    let interval: Duration
    let logger: Logger

    public init(store: Store, hub: SouthboundHub, retainedRevisions: Int64 = 10_000, interval: Duration = .seconds(5),
                logger: Logger = Logger(label: "switchyard.history")) {
        self.store = store
        self.hub = hub
        self.retainedRevisions = retainedRevisions
        self.interval = interval
        self.logger = logger
    }

    /// Prunes now and then every interval, whenever the window has moved, until cancelled. A
    /// failed prune is logged and tried again at the next interval.
    public func run() async throws {
        var pruned: Int64 = 0
        while true {
            let horizon = await hub.revision - retainedRevisions
            if horizon > pruned {
                do {
                    try await store.pruneHistory(through: horizon)
                    pruned = horizon
                } catch {
                    logger.warning("pruning the change history failed", metadata: ["through": "\(horizon)", "reason": "\(error)"])
                }
            }
            try await Task.sleep(for: interval)
        }
    }
}
