import Metrics

/// What the store reports to the process's metrics backend (Prometheus in the controller).
enum StoreMetrics {
    /// Mutations committed together in one transaction (one fsync).
    static let writeBatchSize = Recorder(label: "switchyard_store_write_batch_size", aggregate: true)
    /// From the start of a batch's transaction to its COMMIT returning.
    static let commitDuration = Timer(label: "switchyard_store_commit_duration_seconds")
}
