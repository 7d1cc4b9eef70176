import Metrics
import Prometheus

/// The process's metrics in the Prometheus text format. Libraries record through swift-metrics;
/// an executable bootstraps this once, first thing, and serves ``text()`` on `GET /metrics`.
public struct PrometheusExposition: Sendable {
    private let registry: PrometheusCollectorRegistry

    /// Every duration histogram, from a millisecond (a commit, a small compile) to 10 s (a pass over
    /// a large host); write batches are counted in powers of two up to their bound of 256.
    static let durationBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
        .seconds(5), .seconds(10),
    ]
    static let valueBuckets: [Double] = [1, 2, 4, 8, 16, 32, 64, 128, 256]

    /// Makes the registry the process-wide metrics backend. Call it once, before anything records.
    public static func bootstrap() -> PrometheusExposition {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = durationBuckets
        factory.defaultValueHistogramBuckets = valueBuckets
        MetricsSystem.bootstrap(factory)
        return PrometheusExposition(registry: registry)
    }

    /// Every series, in the text exposition format (version 0.0.4).
    public func text() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }

    /// The content type Prometheus expects for ``text()``.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}
