import Synchronization

/// Counts a listener's connections against its ``AdmissionLimits``.
///
/// When all pending slots are taken, the oldest pending connection is closed to make room for the
/// new one (a peer that is still not identified after everyone else is the least likely to be an
/// agent), so connections from many addresses that never identify themselves cannot lock agents
/// out; a source over its own cap is refused outright.
final class ConnectionGate: Sendable {
    /// One admitted connection.
    struct Ticket: Hashable, Sendable {
        fileprivate let number: UInt64
    }

    private struct Pending {
        let source: String
        let close: @Sendable () -> Void
    }

    private struct State {
        var next: UInt64 = 0
        var pending: [UInt64: Pending] = [:]
        var pendingBySource: [String: Int] = [:]
        var connections = 0
        /// Since the last ``takeTurnedAway()``.
        var refused = 0
        var evicted = 0
    }

    let limits: AdmissionLimits
    private let state = Mutex(State())

    init(limits: AdmissionLimits) {
        self.limits = limits
    }

    /// Counts a new pending connection from `source`, which `close` closes; nil (nothing counted)
    /// when its source is over its cap or the listener is full of identified connections.
    func admit(source: String, close: @escaping @Sendable () -> Void) -> Ticket? {
        let (ticket, evicted) = state.withLock { state -> (Ticket?, Pending?) in
            guard state.pendingBySource[source, default: 0] < limits.maximumPendingPerSource else {
                state.refused += 1
                return (nil, nil)
            }
            var evicted: Pending?
            if state.pending.count >= limits.maximumPending || state.connections >= limits.maximumConnections {
                guard let oldest = state.pending.keys.min() else {
                    state.refused += 1
                    return (nil, nil)
                }
                evicted = Self.removePending(oldest, from: &state)
                state.evicted += 1
            }
            state.next += 1
            state.pending[state.next] = Pending(source: source, close: close)
            state.pendingBySource[source, default: 0] += 1
            state.connections += 1
            return (Ticket(number: state.next), evicted)
        }
        evicted?.close()
        return ticket
    }

    /// The connection is no longer pending; false when it was closed to make room first.
    func identified(_ ticket: Ticket) -> Bool {
        state.withLock { state in Self.removePending(ticket.number, from: &state) != nil }
    }

    /// The connection closed (an evicted one too).
    func closed(_ ticket: Ticket) {
        state.withLock { state in
            _ = Self.removePending(ticket.number, from: &state)
            state.connections -= 1
        }
    }

    /// How many connections were refused at accept, and how many pending ones closed to make
    /// room, since the last call.
    func takeTurnedAway() -> (refused: Int, evicted: Int) {
        state.withLock { state in
            defer { (state.refused, state.evicted) = (0, 0) }
            return (state.refused, state.evicted)
        }
    }

    /// Pending and identified connections now.
    var counts: (pending: Int, connections: Int) {
        state.withLock { ($0.pending.count, $0.connections) }
    }

    private static func removePending(_ number: UInt64, from state: inout State) -> Pending? {
        guard let pending = state.pending.removeValue(forKey: number) else { return nil }
        let left = state.pendingBySource[pending.source, default: 1] - 1
        state.pendingBySource[pending.source] = left > 0 ? left : nil
        return pending
    }
}
