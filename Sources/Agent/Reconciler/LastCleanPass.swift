import Southbound

/// The state of the last pass for a change that left no error, and the underlay MTU it found: a
/// state that differs from it only in its policies needs only the managers that read policies.
actor LastCleanPass {
    private var last: (state: HostState, underlayMTU: Int)?

    /// The underlay MTU of the last clean pass, when `desired` differs from its state only in its
    /// policies (the ports' policy groups among them: a port changing labels); nil otherwise, or
    /// when there was none.
    func underlayMTU(ifOnlyPoliciesChangedIn desired: HostState) -> Int? {
        guard let last else { return nil }
        var before = last.state, now = desired
        guard before.ports.count == now.ports.count, now.ports.allSatisfy({ id, port in
            guard var old = before.ports[id] else { return false }
            old.policyGroup = port.policyGroup
            return old == port
        }) else { return nil }
        (before.policy, now.policy, before.ports, now.ports) = (nil, nil, [:], [:])
        return before == now ? last.underlayMTU : nil
    }

    func record(_ pass: (state: HostState, underlayMTU: Int)?) {
        last = pass
    }
}
