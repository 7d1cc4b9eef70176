import Foundation
import Hummingbird
import Northbound

/// `?wait=realized&timeout=10s`: hold a mutation's response until the hosts that must realize the
/// object have acked its revision, or the timeout passes (the response then says `realized: false`).
struct RealizationWait {
    let timeout: Duration?

    static let maxTimeout = Duration.seconds(120)

    /// Answer at once with the current status.
    static let immediate = RealizationWait(timeout: nil)

    private init(timeout: Duration?) { self.timeout = timeout }

    init(request: Request) throws {
        let query = request.uri.queryParameters
        guard let mode = query["wait"] else {
            timeout = nil
            return
        }
        guard mode == "realized" else { throw ModelError(.invalidQuery, field: "wait", "the only wait is wait=realized") }
        let text = query["timeout"].map(String.init) ?? "10s"
        guard text.hasSuffix("s"), let seconds = Double(text.dropLast()), seconds > 0,
              Duration.seconds(seconds) <= Self.maxTimeout else {
            throw ModelError(.invalidQuery, field: "timeout", "timeout looks like 10s, at most 120s")
        }
        timeout = .seconds(seconds)
    }

    /// Polls `status` until it reports realized or the timeout passes; returns the last status.
    func wait(_ status: () async -> RealizationStatus) async throws -> RealizationStatus {
        var current = await status()
        guard let timeout else { return current }
        let deadline = ContinuousClock.now + timeout
        while !current.realized, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            current = await status()
        }
        return current
    }
}
