import Southbound

/// A realizer that touches nothing: it records the last state it was given and reports success.
///
/// `switchyard-agent --simulate` and the bench use it to run many agents on one machine, speaking
/// the real protocol without a kernel dataplane.
public actor SimulatedRealizer: StateRealizer {
    /// The last state realized, with its revision, and when; nil before the first call.
    public private(set) var lastRealization: (applied: AppliedState, at: ContinuousClock.Instant)?
    /// How many times ``realize(_:revision:)`` was called.
    public private(set) var realizationCount = 0

    /// The last state realized, with its revision; nil before the first call.
    public var lastRealized: AppliedState? { lastRealization?.applied }

    /// A realizer that has realized nothing yet.
    public init() {}

    public func realize(_ state: HostState, revision: Int64) async -> [ObjectError] {
        lastRealization = (AppliedState(revision: revision, state: state), .now)
        realizationCount += 1
        return []
    }
}
