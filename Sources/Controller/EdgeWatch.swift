import Foundation
import Store

/// Moves router uplinks off edge hosts whose agents went silent: once a second it has the hub
/// compare each edge host's last message with `lostAfter`, and records a host lost (or back) in
/// the store; the change feed brings it to the compiler, whose edge placement skips lost hosts.
/// With agents heartbeating every 2 s and the default 6 s, an edge host is given up after three
/// missed heartbeats, and its routers move to another edge host well within 10 s.
///
/// With a store several controllers share, each agent talks to one of them: every controller
/// reports when it last heard each host (``Store/reportLiveness(_:controller:)``), and only the
/// leader (``Store/isLeader()``) decides, from what any controller heard, so two controllers never
/// move one uplink two ways.
public struct EdgeWatch: Sendable {
    let hub: SouthboundHub
    let store: Store
    let lostAfter: TimeInterval
    /// This controller's name in the shared liveness reports.
    let controller: String

    public init(hub: SouthboundHub, store: Store, lostAfter: TimeInterval, controller: String) {
        self.hub = hub
        self.store = store
        self.lostAfter = lostAfter
        self.controller = controller
    }

    /// Runs until cancelled; a failed write is tried again at the next tick.
    public func run() async throws {
        while true {
            try await Task.sleep(for: .seconds(1))
            try? await tick()
        }
    }

    func tick() async throws {
        var heardElsewhere: [String: Date] = [:]
        if store.isShared {
            try await store.reportLiveness(await hub.lastHeard(), controller: controller)
            guard await store.isLeader() else { return }
            heardElsewhere = try await store.liveness()
        }
        for change in await hub.edgeAvailabilityChanges(lostAfter: lostAfter, heardElsewhere: heardElsewhere) {
            _ = try? await store.setHostAvailable(change.host, change.available)
        }
    }
}
