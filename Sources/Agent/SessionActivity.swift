/// When a session last sent and last received a frame: the heartbeat task sends when the
/// session has been idle and gives up on a controller that has gone silent.
actor SessionActivity {
    private var lastSent: ContinuousClock.Instant
    private var lastReceived: ContinuousClock.Instant

    /// A session that opened at `now`.
    init(now: ContinuousClock.Instant) {
        lastSent = now
        lastReceived = now
    }

    func noteSent(at instant: ContinuousClock.Instant = .now) {
        lastSent = instant
    }

    func noteReceived(at instant: ContinuousClock.Instant = .now) {
        lastReceived = instant
    }

    /// Both instants at once.
    var instants: (sent: ContinuousClock.Instant, received: ContinuousClock.Instant) {
        (lastSent, lastReceived)
    }
}
