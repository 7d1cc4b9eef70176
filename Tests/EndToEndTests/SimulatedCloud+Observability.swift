import Foundation

/// One scrape of a Prometheus endpoint: each sample by its series, `name{label="value",…}` as
/// the exposition writes it.
struct Scrape {
    let status: Int
    let samples: [String: Double]

    init(status: Int, body: String) {
        self.status = status
        var samples: [String: Double] = [:]
        for line in body.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
        self.samples = samples
    }

    subscript(_ series: String) -> Double? { samples[series] }

    /// The sample, or `fallback` when the series is not there (a counter that never moved yet).
    subscript(_ series: String, default fallback: Double) -> Double { samples[series] ?? fallback }
}

extension SimulatedCloud {
    /// Scrapes the `/metrics` of the controller at 198.18.0.`controller` from the underlay, with
    /// `token` (the admin's by default).
    func scrapeController(token: String? = nil, via controller: Int = 1) async throws -> Scrape {
        try await scrape("http://198.18.0.\(controller):8080/metrics", headers: ["Authorization: Bearer \(token ?? self.token)"])
    }

    /// Scrapes the metrics of host `index`'s agent from the underlay.
    func scrapeAgent(host index: Int, path: String = "/metrics", method: String = "GET") async throws -> Scrape {
        try await scrape("http://\(agentMetricsAddress(host: index))\(path)", method: method)
    }

    private func scrape(_ url: String, method: String = "GET", headers: [String] = []) async throws -> Scrape {
        let output = try await Self.run(["ip", "netns", "exec", namespace("ul"), "curl", "-s", "-m", "10", "-X", method,
                                         "-w", "\n%{http_code}"] + headers.flatMap { ["-H", $0] } + [url]).output
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        return Scrape(status: Int(lines.last ?? "") ?? 0, body: lines.dropLast().joined(separator: "\n"))
    }
}

extension SimulatedCloud {
    /// `GET /v1/trace` from a port to a port id or an address.
    func trace(from: String, to: String) async throws -> [String: Any] {
        try await api("GET", "/trace?from=\(from)&to=\(to)")
    }
}

extension [String: Any] {
    /// The hops of a trace answer.
    var hops: [[String: Any]] { self["hops"] as? [[String: Any]] ?? [] }
}
