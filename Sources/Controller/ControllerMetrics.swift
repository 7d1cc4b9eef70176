import Metrics
import Store

/// The controller's gauges, brought up to date at each scrape from the store and the hub, so that
/// nothing on the write or session paths pays for them. Per-host series are the one bounded
/// exception to "no object labels": one per host, removed with the host.
public actor ControllerMetrics {
    private let store: Store
    private let hub: SouthboundHub
    private let revision = Gauge(label: "switchyard_revision")
    private let compiledRevision = Gauge(label: "switchyard_compiled_revision")
    private let connectedHosts = Gauge(label: "switchyard_hosts_connected")
    private var revisionLag: [String: Gauge] = [:]

    public init(store: Store, hub: SouthboundHub) {
        self.store = store
        self.hub = hub
    }

    /// Reads the current figures into the gauges; called before every exposition.
    public func refresh() async {
        if let committed = try? await store.revision() { revision.record(committed) }
        let snapshot = await hub.metricsSnapshot()
        compiledRevision.record(snapshot.revision)
        connectedHosts.record(snapshot.connectedHosts)
        for (host, lag) in snapshot.revisionLag {
            let gauge = revisionLag[host] ?? Gauge(label: "switchyard_host_revision_lag", dimensions: [("host", host)])
            revisionLag[host] = gauge
            gauge.record(lag)
        }
        for host in revisionLag.keys where snapshot.revisionLag[host] == nil {
            revisionLag.removeValue(forKey: host)?.destroy()
        }
    }
}
