import Agent
import Southbound

/// A realizer that takes its time, like a kernel realizer with a large state, and records the
/// revisions it realized.
actor SlowRealizer: StateRealizer {
    let duration: Duration
    private(set) var realizedRevisions: [Int64] = []

    init(taking duration: Duration) {
        self.duration = duration
    }

    func realize(_ state: HostState, revision: Int64) async -> [ObjectError] {
        try? await Task.sleep(for: duration)
        realizedRevisions.append(revision)
        return []
    }
}
