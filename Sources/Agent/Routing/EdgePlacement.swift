import Synchronization

/// Whether the controller has confirmed where router uplinks belong since the agent started.
///
/// A restarted agent adopts the state it saved, but an uplink in it may have moved to another edge
/// host while the agent was away: creating it again would put the same MAC and addresses on two
/// hosts. So until the first state from the controller, ``EdgeManager`` neither adds nor removes
/// anything: uplinks that are up stay up (forwarding is not interrupted), missing ones wait.
public final class EdgePlacement: Sendable {
    private let confirmed = Atomic(false)

    public init() {}

    /// A placement confirmed from the start, for a realizer with no saved state to hold back.
    public static func confirmed() -> EdgePlacement {
        let placement = EdgePlacement()
        placement.confirm()
        return placement
    }

    /// The controller has sent a state: its edge routers are where uplinks belong.
    public func confirm() {
        confirmed.store(true, ordering: .releasing)
    }

    public var isConfirmed: Bool { confirmed.load(ordering: .acquiring) }
}
