import Foundation
import Store

/// Moves router uplinks off edge hosts whose agents went silent: once a second it has the hub
/// compare each edge host's last message with `lostAfter`, and records a host lost (or back) in
/// the store; the change feed brings it to the compiler, whose edge placement skips lost hosts.
/// With agents heartbeating every 2 s and the default 6 s, an edge host is given up after three
/// missed heartbeats, and its routers move to another edge host well within 10 s.
public struct EdgeWatch: Sendable {
    let hub: SouthboundHub
    let store: Store
    let lostAfter: TimeInterval

    public init(hub: SouthboundHub, store: Store, lostAfter: TimeInterval) {
        self.hub = hub
        self.store = store
        self.lostAfter = lostAfter
    }

    /// Runs until cancelled; a failed write is tried again at the next tick.
    public func run() async throws {
        while true {
            try await Task.sleep(for: .seconds(1))
            for change in await hub.edgeAvailabilityChanges(lostAfter: lostAfter) {
                _ = try? await store.setHostAvailable(change.host, change.available)
            }
        }
    }
}
