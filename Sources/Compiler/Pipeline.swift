import Northbound
import Southbound

/// The compile pipeline, wired in one place: placement feeds the switch, port, router and edge
/// nodes, the policies of the host's ports and the services of its routers, whose outputs make up
/// one host's `HostState`.
struct Pipeline {
    let state: DesiredState
    let index: TopologyIndex
    /// Built once per compile run, and only when there are policies.
    let policyView: PolicyView?
    let services = RunMemo<ServiceState>()
    let zones = RunMemo<DNSZoneState?>()
    let switchMembers = RunMemo<SwitchMembers>()
    let policyStates = PolicyStateMemo()

    init(state: DesiredState, index: TopologyIndex) {
        self.state = state
        self.index = index
        policyView = state.policies.isEmpty ? nil : PolicyView(state: state, index: index)
    }

    func compileHost(_ hostID: String) -> HostState? {
        recompileHost(hostID, previous: nil, touchedSwitches: [], policies: .all)
    }

    /// A host's state, reusing from `previous` the switch states a change did not touch: only
    /// switches in `touchedSwitches`, and switches that newly appear on the host, are rebuilt.
    /// Without `previous` every switch is built. Ports, routers and uplinks are always rebuilt: a
    /// host has few of them, while its switches carry the large remote-port tables. Transit segments
    /// are rebuilt with their routers, and services with them. Policies are rebuilt as `policies` says.
    func recompileHost(_ hostID: String, previous: HostState?, touchedSwitches: Set<String>, policies: PolicyScope) -> HostState? {
        guard let host = state.hosts[hostID] else { return nil }
        let placement = PlacementNode(state: state, index: index)
        let switchNode = SwitchNode(state: state, index: index, placement: placement, members: switchMembers)
        let routerNode = RouterNode(state: state, index: index, placement: placement)
        let edgeNode = EdgeNode(state: state, index: index, placement: placement)

        var result = HostState(host: HostInfo(id: host.id, name: host.name, underlay: host.address, role: host.role.rawValue))
        for switchID in placement.switchesPresent(on: hostID) {
            guard let logicalSwitch = state.switches[switchID] else { continue }
            if let kept = previous?.switches[switchID], !touchedSwitches.contains(switchID) {
                result.switches[switchID] = kept
            } else {
                result.switches[switchID] = switchNode.switchState(logicalSwitch, on: hostID)
            }
        }
        let localPorts = placement.localPorts(on: hostID)
        for port in localPorts {
            guard let logicalSwitch = state.switches[port.switch] else { continue }
            result.ports[port.id] = PortNode(state: state, index: index).portState(port, on: logicalSwitch)
        }
        result.policy = policyState(on: hostID, previous: previous, policies)
        let routers = placement.routersPresent(on: hostID)
        for routerID in routers {
            result.routers[routerID] = routerNode.routerState(routerID, on: hostID)
            result.switches[RouterNode.transitSegment(of: routerID)] = routerNode.transitSwitch(routerID, on: hostID)
        }
        result.services = ServiceNode(state: state, index: index, cache: services).services(of: routers)
        result.dns = DNSNode(state: state, index: index, cache: zones).zones(of: routers)
        for routerID in placement.edgeRouters(on: hostID) {
            result.edgeRouters[routerID] = edgeNode.edgeRouterState(routerID)
        }
        return result
    }
}

extension Pipeline {
    /// Rebuilds the services and DNS zones of a host's routers in `hostState`, keeping the rest:
    /// for changes that move nothing, only what selects or names ports.
    func rebuildServices(of hostState: inout HostState) {
        let routers = Set(hostState.routers.keys)
        hostState.services = ServiceNode(state: state, index: index, cache: services).services(of: routers)
        hostState.dns = DNSNode(state: state, index: index, cache: zones).zones(of: routers)
    }
}

/// Which of a host's policy lists a recompile rebuilds.
enum PolicyScope {
    /// Every list: what policies select by or resolve to may have changed anywhere.
    case all
    /// Only these policies' lists; the others are kept from the host's previous state.
    case only(Set<String>)
}

extension Pipeline {
    /// The policies a host enforces for its ports, rebuilt as `scope` says; nil without any.
    func policyState(on hostID: String, previous: HostState?, _ scope: PolicyScope) -> PolicyState? {
        guard let policyView else { return nil }
        let groups = policyView.representatives(on: hostID)
        let key = PolicyStateMemo.key(groups.keys)
        guard case .only(let changed) = scope, let previous else {
            return policyStates.rebuilt(key) { PolicyNode(view: policyView).policyState(for: groups) }
        }
        return policyStates.updated(key, from: previous.policy) {
            updating(previous.policy, changed: changed, groups: groups, view: policyView)
        }
    }

    /// A host's policies after changes of `changed` policies alone: `previous` without their old
    /// lists and without groups no local port is in any more, with their new lists for the groups
    /// they select, and only the sets still used. Each policy's lists depend on that policy alone,
    /// so the others' stay as they are; a group new on the host has a port that changed, whose
    /// policies are all among `changed`.
    private func updating(_ previous: PolicyState?, changed: Set<String>, groups: [String: Port],
                          view policyView: PolicyView) -> PolicyState? {
        var result = previous ?? PolicyState()
        let gone = result.groups.keys.filter { groups[$0] == nil }
        for group in gone { result.groups[group] = nil }
        let stale = Set(result.ruleLists.filter { changed.contains($0.value.policy) }.keys)
        if !stale.isEmpty {
            for (group, names) in result.groups where !names.isDisjoint(with: stale) {
                let kept = names.subtracting(stale)
                result.groups[group] = kept.isEmpty ? nil : kept
            }
        }
        let policies = changed.compactMap { state.policies[$0] }
        for (group, port) in groups {
            for policy in policies where policyView.policy(policy, selects: port) {
                PolicyNode(view: policyView).add(policy, for: port, group: group, to: &result)
            }
        }
        // Only lists of changed policies or of groups gone can have lost their last user.
        if !stale.isEmpty || !gone.isEmpty {
            let listed = result.groups.values.reduce(into: Set<String>()) { $0.formUnion($1) }
            if listed.count != result.ruleLists.count { result.ruleLists = result.ruleLists.filter { listed.contains($0.key) } }
            let used = Set(result.ruleLists.values.flatMap { $0.rules.compactMap(\.peers) })
            if used.count != result.sets.count { result.sets = result.sets.filter { used.contains($0.key) } }
        }
        return result.groups.isEmpty ? nil : result
    }

    /// The hosts of the ports `policyID` selects now.
    func hostsSelected(by policyID: String) -> Set<String> {
        guard let policyView, let policy = state.policies[policyID] else { return [] }
        return policyView.hosts(selectedBy: policy)
    }

    /// The policies whose lists may depend on `port`: those selecting it, and those with a peer
    /// that may cover it.
    func policies(concerning port: Port) -> Set<String> {
        guard let policyView else { return [] }
        return Set(state.policies.values.filter { policyView.policy($0, mayConcern: port) }.map(\.id))
    }

    /// The policies with a peer that may cover `port`: their lists may change on every host that
    /// holds them. A policy that only selects the port changes on the port's own host alone.
    func policies(withPeerCovering port: Port) -> Set<String> {
        guard let policyView else { return [] }
        return Set(state.policies.values.filter { policyView.policy($0, mayHaveAsPeer: port) }.map(\.id))
    }
}

/// Full recompute: every host's state from the whole desired state. The oracle for the incremental compiler.
public func compile(_ state: DesiredState) -> [String: HostState] {
    let pipeline = Pipeline(state: state, index: TopologyIndex(state))
    return state.hosts.keys.reduce(into: [:]) { result, hostID in result[hostID] = pipeline.compileHost(hostID) }
}
