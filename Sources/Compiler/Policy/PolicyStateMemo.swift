import Southbound

/// Hosts that hold the same policy groups enforce the same policies, so within a compile run the
/// first such host's policy state is every such host's: built once, and one value whose storage
/// they all share. A policy change that reaches a thousand alike hosts then costs one rebuild, and
/// the hub compares and diffs the shared values at once (a dictionary equals itself without a look
/// inside). An update (the previous state and the policies that changed) is shared only between
/// hosts whose previous states are equal: after the first run those are one shared value too.
final class PolicyStateMemo {
    private var rebuilt: [String: PolicyState?] = [:]
    private var updated: [String: (previous: PolicyState?, result: PolicyState?)] = [:]

    /// The key of a host's policy groups.
    static func key(_ groups: some Sequence<String>) -> String {
        groups.sorted().joined(separator: " ")
    }

    /// The policy state of hosts holding the groups of `key`, built from nothing.
    func rebuilt(_ key: String, _ build: () -> PolicyState?) -> PolicyState? {
        if let known = rebuilt[key] { return known }
        let built = build()
        rebuilt[key] = built
        return built
    }

    /// The policy state of hosts holding the groups of `key` whose policies were `previous`.
    func updated(_ key: String, from previous: PolicyState?, _ build: () -> PolicyState?) -> PolicyState? {
        if let known = updated[key], known.previous == previous { return known.result }
        let built = build()
        updated[key] = (previous, built)
        return built
    }
}
