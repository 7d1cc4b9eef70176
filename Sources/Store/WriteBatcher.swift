import Metrics

/// Serializes writes and commits whatever queued up meanwhile in one transaction (group commit).
///
/// With `synchronous=FULL` every COMMIT waits for an fsync; sharing it between concurrent requests
/// is what lets the API sustain thousands of creates per second. Each mutation of a batch runs in its
/// own savepoint, so one that fails rolls back alone and the others commit; one alone in its batch
/// needs none (its failure rolls the transaction back). Callers resume only after the COMMIT, so a
/// 2xx always means durable.
actor WriteBatcher {
    private let backend: any StoreBackend
    private var pending: [PendingWrite] = []
    private var draining = false

    /// Bounds how many mutations share one fsync, to keep the latency of the first in line low.
    private let maxBatch = 256

    private let notifier: LatestBroadcast<Int64>

    init(backend: any StoreBackend, notifier: LatestBroadcast<Int64>) {
        self.backend = backend
        self.notifier = notifier
    }

    /// Queues `body` as one mutation made by `actor` (nil: the controller itself).
    func submit<T: Sendable>(actor: AuditActor?, _ body: @escaping @Sendable (any SQLConnection, Int64) throws -> T) async throws -> (T, Int64) {
        try await withCheckedThrowingContinuation { continuation in
            let box = ResultBox<T>()
            pending.append(PendingWrite(
                actor: actor,
                apply: { db, revision in box.value = try body(db, revision) },
                complete: { result in
                    switch result {
                    case .success(let revision): continuation.resume(returning: (box.value!, revision))
                    case .failure(let error): continuation.resume(throwing: error)
                    }
                }
            ))
            if !draining {
                draining = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(maxBatch))
            pending.removeFirst(batch.count)
            let started = ContinuousClock.now
            let outcomes = await Self.commit(batch, backend: backend)
            StoreMetrics.commitDuration.record(duration: ContinuousClock.now - started)
            StoreMetrics.writeBatchSize.record(batch.count)
            for (write, outcome) in zip(batch, outcomes) { write.complete(outcome) }
            if let revision = outcomes.compactMap({ try? $0.get() }).max() { notifier.publish(revision) }
        }
        draining = false
    }

    private static func commit(_ batch: [PendingWrite], backend: any StoreBackend) async -> [Result<Int64, any Error>] {
        do {
            return try await backend.write { db in
                var outcomes: [Result<Int64, any Error>] = []
                let start = try db.value(Int64.self, sql: "SELECT revision FROM meta") ?? 0
                var revision = start
                for write in batch {
                    let mutate = {
                        // Set first: the schema's triggers stamp tombstones and the audit trail with them.
                        try db.execute(sql: "UPDATE meta SET revision = ?, actor = ?, actor_scope = ?",
                                       arguments: [revision + 1, write.actor?.token, write.actor?.scopeDescription])
                        try write.apply(db, revision + 1)
                    }
                    do {
                        try batch.count > 1 ? db.inSavepoint(mutate) : mutate()
                        revision += 1
                        outcomes.append(.success(revision))
                    } catch where batch.count > 1 {
                        // Alone in its batch, a mutation's failure rolls the whole transaction back
                        // instead (its error is the outcome, below): two round trips fewer.
                        outcomes.append(.failure(error))
                    }
                }
                if revision > start { try backend.announce(.committed(revision), in: db) }
                return outcomes
            }
        } catch {
            return batch.map { _ in .failure(error) }
        }
    }
}

private struct PendingWrite: Sendable {
    let actor: AuditActor?
    let apply: @Sendable (any SQLConnection, Int64) throws -> Void
    let complete: @Sendable (Result<Int64, any Error>) -> Void
}

/// Carries a mutation's result from the writer queue back to its caller.
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}
