import Southbound

/// Endpoint health as the endpoints' hosts report it: status, not desired state, so it lives in
/// memory and never bumps a revision. A restarted controller starts empty (every endpoint in) and
/// hears everything again as the agents reconnect.
struct HealthBook: Sendable {
    /// Service id → port id → the last verdict.
    private(set) var verdicts: [String: [String: EndpointHealth]] = [:]
    /// Host id → the endpoints (service, port) it reported.
    private var reportedBy: [String: Set<Key>] = [:]

    private struct Key: Hashable, Sendable {
        var service: String
        var port: String
    }

    /// Records `report` from `host`; returns the services whose set of unhealthy endpoints changed.
    mutating func record(_ report: EndpointHealthReport, from host: String) -> Set<String> {
        var changed: Set<String> = []
        if report.complete {
            let kept = Set(report.endpoints.map { Key(service: $0.service, port: $0.port) })
            for key in reportedBy[host, default: []].subtracting(kept) {
                if verdicts[key.service]?.removeValue(forKey: key.port)?.healthy == false { changed.insert(key.service) }
            }
            reportedBy[host] = []
        }
        for health in report.endpoints {
            let before = verdicts[health.service]?[health.port]?.healthy ?? true
            verdicts[health.service, default: [:]][health.port] = health
            reportedBy[host, default: []].insert(Key(service: health.service, port: health.port))
            if before != health.healthy { changed.insert(health.service) }
        }
        return changed
    }

    /// The unhealthy endpoints of `services`, by service (services without any left out).
    func unhealthy(of services: some Sequence<String>) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for service in services {
            let out = (verdicts[service] ?? [:]).filter { !$0.value.healthy }.keys.sorted()
            if !out.isEmpty { result[service] = out }
        }
        return result
    }
}
