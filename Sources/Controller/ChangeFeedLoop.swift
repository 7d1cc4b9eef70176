import Store

/// Carries committed revisions from the store into the hub: the one-way link from desired state
/// to compiled state. Reads what changed since the last revision it saw, so commits that land
/// while it works are picked up together.
public struct ChangeFeedLoop: Sendable {
    let store: Store
    let hub: SouthboundHub
    let commits: AsyncStream<Int64>
    let startRevision: Int64

    /// Subscribes before reading the snapshot the hub starts from, so no commit falls in between.
    public static func start(store: Store, maximumHostEntries: Int = SouthboundHub.defaultMaximumHostEntries)
        async throws -> (SouthboundHub, ChangeFeedLoop) {
        let commits = store.commits()
        let desired = try await store.desiredState()
        let hub = SouthboundHub(desired, maximumHostEntries: maximumHostEntries, keepsPreviousStates: store.isShared)
        return (hub, ChangeFeedLoop(store: store, hub: hub, commits: commits, startRevision: desired.revision))
    }

    /// Runs until cancelled. A failed read is retried (the next read covers everything since the
    /// last revision applied), so the hub never silently stops following the store. When the
    /// history it needs was pruned, it reads the whole state again.
    public func run() async throws {
        var seen = startRevision
        for await revision in commits where revision > seen {
            while !Task.isCancelled {
                do {
                    seen = try await catchUp(from: seen)
                    break
                } catch {
                    try await Task.sleep(for: .milliseconds(200))
                }
            }
        }
    }

    /// Applies what changed since `seen` and returns the revision now applied; reads the whole
    /// state instead when the history since `seen` was pruned.
    private func catchUp(from seen: Int64) async throws -> Int64 {
        do {
            let (latest, changes) = try await store.changes(since: seen)
            await hub.apply(changes, revision: latest)
            return latest
        } catch StoreError.historyPruned {
            let desired = try await store.desiredState()
            await hub.reload(desired)
            return desired.revision
        }
    }
}
