import Foundation

/// Moves router uplinks off edge hosts whose agents went silent: once a second it has the hub
/// compare each edge host's last message with `lostAfter`. With agents heartbeating every 2 s, an
/// edge host is given up after three missed heartbeats, and its routers move to another edge host
/// well within 10 s.
public struct EdgeWatch: Sendable {
    let hub: SouthboundHub
    let lostAfter: TimeInterval

    public init(hub: SouthboundHub, lostAfter: TimeInterval) {
        self.hub = hub
        self.lostAfter = lostAfter
    }

    /// Runs until cancelled.
    public func run() async throws {
        while true {
            try await Task.sleep(for: .seconds(1))
            await hub.updateEdgeAvailability(lostAfter: lostAfter)
        }
    }
}
