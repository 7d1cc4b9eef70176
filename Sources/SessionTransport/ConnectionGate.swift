import Synchronization

/// Counts a listener's connections against its ``AdmissionLimits``.
final class ConnectionGate: Sendable {
    private struct State {
        var pendingBySource: [String: Int] = [:]
        var pending = 0
        var connections = 0
    }

    let limits: AdmissionLimits
    private let state = Mutex(State())

    init(limits: AdmissionLimits) {
        self.limits = limits
    }

    /// Counts a new pending connection from `source`; false (and nothing counted) when a limit is reached.
    func admit(source: String) -> Bool {
        state.withLock { state in
            guard state.connections < limits.maximumConnections, state.pending < limits.maximumPending,
                  state.pendingBySource[source, default: 0] < limits.maximumPendingPerSource else { return false }
            state.pendingBySource[source, default: 0] += 1
            state.pending += 1
            state.connections += 1
            return true
        }
    }

    /// The connection from `source` is no longer pending.
    func identified(source: String) {
        state.withLock { state in Self.removePending(source, from: &state) }
    }

    /// The connection from `source` closed.
    func closed(source: String, wasPending: Bool) {
        state.withLock { state in
            if wasPending { Self.removePending(source, from: &state) }
            state.connections -= 1
        }
    }

    /// Pending and identified connections now.
    var counts: (pending: Int, connections: Int) {
        state.withLock { ($0.pending, $0.connections) }
    }

    private static func removePending(_ source: String, from state: inout State) {
        state.pending -= 1
        let left = state.pendingBySource[source, default: 1] - 1
        state.pendingBySource[source] = left > 0 ? left : nil
    }
}
