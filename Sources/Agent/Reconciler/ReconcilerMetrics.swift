import Metrics

/// What reconcile passes report to the agent's metrics backend (Prometheus with `--metrics`).
/// Labels are concerns (`switches`, `ports`, `routes`, …), a fixed handful, never objects.
enum ReconcilerMetrics {
    /// One whole pass: reading the kernel, planning and writing, for every concern.
    static let passDuration = Timer(label: "switchyard_agent_reconcile_pass_duration_seconds")
    /// Objects the last pass could not realize (reported to the controller as errors).
    static let objectsInError = Gauge(label: "switchyard_agent_objects_in_error")

    static func kernelWrites(_ concern: String) -> Counter {
        Counter(label: "switchyard_agent_kernel_writes_total", dimensions: [("concern", concern)])
    }

    static func kernelWriteFailures(_ concern: String) -> Counter {
        Counter(label: "switchyard_agent_kernel_write_failures_total", dimensions: [("concern", concern)])
    }
}
