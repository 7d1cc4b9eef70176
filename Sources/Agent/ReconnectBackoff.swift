/// When to reconnect after a session ends: capped exponential backoff with full jitter.
///
/// Retry number n (counting from 0) waits a uniformly random time in [0, min(cap, base·2ⁿ)), so
/// that hundreds of agents cut off at the same moment do not all come back at the same moment.
/// A session that lasted longer than `resetAfter` was a healthy one: the count starts over.
///
/// Pure: the random source is passed in, so tests can fix it.
public struct ReconnectBackoff: Sendable, Equatable {
    /// The ceiling of the first wait.
    public let base: Duration
    /// The largest ceiling.
    public let cap: Duration
    /// A session at least this long resets the count.
    public let resetAfter: Duration
    /// Consecutive retries counted so far.
    public private(set) var attempt = 0

    /// - Precondition: `base` is positive and `cap` is at least `base`.
    public init(base: Duration = .milliseconds(200), cap: Duration = .seconds(10), resetAfter: Duration = .seconds(10)) {
        precondition(base > .zero && cap >= base, "backoff needs 0 < base <= cap")
        self.base = base
        self.cap = cap
        self.resetAfter = resetAfter
    }

    /// The ceiling of retry number `attempt`: min(cap, base·2^attempt).
    public func ceiling(forAttempt attempt: Int) -> Duration {
        let doublings = min(max(attempt, 0), 62)
        let ceiling = base.seconds * Double(UInt64(1) << UInt64(doublings))
        return ceiling >= cap.seconds ? cap : .seconds(ceiling)
    }

    /// The wait before the next connection attempt, after a session (or a failed connection
    /// attempt) that lasted `sessionDuration`; counts the retry.
    public mutating func nextDelay(
        afterSessionLasting sessionDuration: Duration,
        using generator: inout some RandomNumberGenerator
    ) -> Duration {
        if sessionDuration >= resetAfter { attempt = 0 }
        let ceiling = ceiling(forAttempt: attempt)
        attempt += 1
        // 53 random bits make a uniform Double in [0, 1).
        let unit = Double(generator.next() >> 11) * 0x1p-53
        return .seconds(ceiling.seconds * unit)
    }
}

extension Duration {
    /// The duration in seconds, with its fraction.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
