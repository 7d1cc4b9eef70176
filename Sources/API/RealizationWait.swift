import Foundation
import Hummingbird
import Northbound

/// `?wait=realized&timeout=10s`: hold a mutation's response until the hosts that must realize the
/// object have acked its revision, or the timeout passes (the response then says `realized: false`).
struct RealizationWait {
    let timeout: Duration?

    /// Whole seconds a request may wait: `timeout=1s` to `timeout=120s`.
    static let timeoutSeconds = 1...120

    /// Answer at once with the current status.
    static let immediate = RealizationWait(timeout: nil)

    private init(timeout: Duration?) { self.timeout = timeout }

    /// Both parameters are checked whenever they are present: `timeout` without `wait` is refused
    /// like any other bad value rather than ignored.
    init(request: Request) throws {
        let query = request.uri.queryParameters
        let timeout = try query["timeout"].map {
            try QueryNumber.seconds($0, in: Self.timeoutSeconds, field: "timeout", "timeout is whole seconds like 10s, from 1s to 120s")
        }
        switch query["wait"] {
        case nil: self.timeout = nil
        case "realized"?: self.timeout = timeout ?? .seconds(10)
        default: throw ModelError(.invalidQuery, field: "wait", "the only wait is wait=realized")
        }
    }

    /// Checks `status` until it reports realized or the timeout passes, and returns the last one.
    /// It checks again only when the southbound side made progress (a revision applied, an ack).
    func wait(_ status: () async -> RealizationStatus, on southbound: any SouthboundControl) async -> RealizationStatus {
        guard let timeout else { return await status() }
        let deadline = ContinuousClock.now + timeout
        while true {
            // Take the mark first: progress made while the status is computed wakes the wait at once.
            let mark = await southbound.progressMark()
            let current = await status()
            let left = deadline - ContinuousClock.now
            if current.realized || left <= .zero { return current }
            await southbound.waitForProgress(beyond: mark, timeout: left)
        }
    }
}
