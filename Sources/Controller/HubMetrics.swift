import Metrics

/// What the hub records as it works; the per-host figures are read at each scrape instead
/// (``SouthboundHub/metricsSnapshot()``, ``ControllerMetrics``).
enum HubMetrics {
    /// Compiling every host from the whole desired state: at start, and after history was pruned.
    static let fullCompile = Timer(label: "switchyard_compile_duration_seconds", dimensions: [("kind", "full")])
    /// Folding one committed revision's changes into the compiled state.
    static let incrementalCompile = Timer(label: "switchyard_compile_duration_seconds", dimensions: [("kind", "incremental")])
    /// Router uplinks that moved from their edge host to another (or to none) because a host changed.
    static let edgeMoves = Counter(label: "switchyard_edge_moves_total")
    /// How agents' sessions began: with the whole state (`snapshot`), with a delta from what the
    /// agent acked here (`delta`), or with nothing to send, as the agent holds the current state
    /// acked at another controller of the store (`resumed`).
    static func sessionStart(_ kind: String) -> Counter {
        Counter(label: "switchyard_session_starts_total", dimensions: [("kind", kind)])
    }
}

/// The hub's figures at one moment.
public struct HubMetricsSnapshot: Sendable {
    public let revision: Int64
    public let connectedHosts: Int
    /// Revisions behind, by host name.
    public let revisionLag: [String: Int64]
}
