import Southbound

extension HostState {
    /// This state with no switch or port above `limit`: a switch's MTU is the most its tenant asks
    /// for, and the host runs it at the smaller of that and what its underlay carries.
    func capping(mtu limit: Int) -> HostState {
        var capped = self
        for (id, state) in switches where state.mtu > limit { capped.switches[id]?.mtu = limit }
        for (id, state) in ports where state.mtu > limit { capped.ports[id]?.mtu = limit }
        return capped
    }
}
