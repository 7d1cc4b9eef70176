import Southbound
import Synchronization

/// The policy delta worked out last, for the sessions of hosts alike. The compiler gives hosts
/// that hold the same policy groups one shared policy state, so in a fan-out their sessions all go
/// from the same shared state to the same new one: compared at once (a dictionary equals itself
/// without a look inside), and diffed once instead of once per host.
final class PolicyDeltaMemo: Sendable {
    private let last = Mutex<(from: PolicyState?, to: PolicyState?, delta: PolicyDelta)?>(nil)

    func delta(from old: PolicyState?, to new: PolicyState?) -> PolicyDelta {
        if let known = last.withLock({ $0 }), known.from == old, known.to == new { return known.delta }
        let delta = PolicyDelta(from: old, to: new)
        last.withLock { $0 = (old, new, delta) }
        return delta
    }
}
