import Northbound
import Southbound

/// Keeps every host's state current as changes land, recompiling only the hosts a change touches.
///
/// A change touches the hosts where its switches, or the switches that share a router with them, are
/// present — before and after the change, since a port can make a switch or a router appear on a
/// host — and the edge hosts of the routers involved.
/// Host changes (underlay address, role, availability) recompile everything: they are rare, and a
/// VTEP move or an edge failover touches every peer. A policy change, and a port change through the
/// policies that select the port or may have it as a peer, touch only those policies' lists, on the
/// hosts whose ports they selected or select; changes to names, floating IPs, SNAT addresses or
/// switches rebuild the policies of every host that holds any. A service change touches the hosts
/// running its router; a port change reaches them through its switch's routers.
public struct IncrementalCompiler: Sendable {
    public private(set) var state: DesiredState
    public private(set) var hostStates: [String: HostState]
    private var index: TopologyIndex
    /// How many host compilations the last `apply` ran, for tests and benchmarks.
    public private(set) var lastRecompiledHosts = 0
    /// The hosts whose state holds policies: a change of who or what policies select touches them.
    private var policyHosts: Set<String>

    public init(_ state: DesiredState) {
        self.state = state
        index = TopologyIndex(state)
        hostStates = compile(state)
        lastRecompiledHosts = hostStates.count
        policyHosts = Set(hostStates.filter { $0.value.policy != nil }.keys)
    }

    /// Applies the changes of one revision and returns the new state of each host whose state changed
    /// (nil for a host that is gone).
    public mutating func apply(_ changes: [DesiredChange], revision: Int64) -> [String: HostState?] {
        var affected = Touched()
        var everything = false
        // Policies whose lists may change; `broad` when what any policy selects by or resolves to
        // may have (names, addresses seen across tenants, switches), which rebuilds every list.
        var changedPolicies: Set<String> = []
        var broad = false
        var portVersions: [Port] = []
        // Hosts whose services and DNS zones alone may change: they run the routers of a port
        // whose labels, name, project or cluster changed where it is.
        var serviceHosts: Set<String> = []
        for change in changes {
            switch change {
            case .host: everything = true
            case .policy(let id, _): changedPolicies.insert(id)
            case .port(let id, let port): portVersions += [state.ports[id], port].compactMap { $0 }
            case .tenant, .project, .cluster, .floatingIP, .router, .interface, .logicalSwitch: broad = true
            default: break
            }
            if case .port(let id, let port?) = change, let old = state.ports[id], old.placesLike(port) {
                // Labels, name, project or cluster: its own host's port state, and what reads them
                // on the hosts running its switch's routers (services, DNS); no switch state.
                index.apply(change, before: state)
                state.apply(change)
                if let host = port.host { affected.hosts.insert(host) }
                serviceHosts.formUnion(hostsRunningRouters(of: port.switch))
                continue
            }
            if !everything { affected.formUnion(touched(change)) }
            index.apply(change, before: state)
            state.apply(change)
            if !everything { affected.formUnion(touched(change)) }
        }
        state.revision = revision
        if everything { affected.hosts = Set(state.hosts.keys).union(hostStates.keys) }

        let pipeline = Pipeline(state: state, index: index)
        // Hosts whose policies alone may change: their other state is kept as it is.
        var policiesOnly: Set<String> = []
        let scope: PolicyScope
        if broad {
            scope = .all
            policiesOnly = policyHosts
        } else {
            // A policy that only selects a changed port changes on that port's hosts alone, which
            // `affected` holds; changed policies and those with the port as a peer, everywhere.
            var everywhere = changedPolicies
            for port in portVersions {
                changedPolicies.formUnion(pipeline.policies(concerning: port))
                everywhere.formUnion(pipeline.policies(withPeerCovering: port))
            }
            scope = .only(changedPolicies)
            if !everywhere.isEmpty {
                policiesOnly = policyHosts.filter { host in
                    hostStates[host]?.policy?.ruleLists.values.contains { everywhere.contains($0.policy) } ?? false
                }
                for id in everywhere { policiesOnly.formUnion(pipeline.hostsSelected(by: id)) }
            }
        }
        var changed: [String: HostState?] = [:]
        func record(_ new: HostState?, for hostID: String) {
            guard hostStates[hostID] != new else { return }
            hostStates[hostID] = new
            changed[hostID] = .some(new)
            if new?.policy != nil { policyHosts.insert(hostID) } else { policyHosts.remove(hostID) }
        }
        for hostID in affected.hosts {
            record(everything ? pipeline.compileHost(hostID)
                : pipeline.recompileHost(hostID, previous: hostStates[hostID], touchedSwitches: affected.switches, policies: scope),
                   for: hostID)
        }
        for hostID in serviceHosts.union(policiesOnly).subtracting(affected.hosts) {
            guard var new = hostStates[hostID] else { continue }
            if serviceHosts.contains(hostID) { pipeline.rebuildServices(of: &new) }
            if policiesOnly.contains(hostID) { new.policy = pipeline.policyState(on: hostID, previous: new, scope) }
            record(new, for: hostID)
        }
        lastRecompiledHosts = affected.hosts.union(policiesOnly).union(serviceHosts).count
        return changed
    }

    /// The hosts whose state may depend on what a change names, and the switches whose state on
    /// those hosts may change, in the current state.
    struct Touched {
        var hosts: Set<String> = []
        var switches: Set<String> = []

        mutating func formUnion(_ other: Touched) {
            hosts.formUnion(other.hosts)
            switches.formUnion(other.switches)
        }
    }

    /// The hosts running the routers of a switch: their services select ports by labels, project
    /// and cluster, and their DNS zones name ports.
    private func hostsRunningRouters(of switchID: String) -> Set<String> {
        let placement = PlacementNode(state: state, index: index)
        return placement.routers(of: switchID).reduce(into: []) { $0.formUnion(placement.hostsRunning($1)) }
    }

    private func touched(_ change: DesiredChange) -> Touched {
        let placement = PlacementNode(state: state, index: index)
        // A change on a switch can make its routers, and so their other switches, appear on or leave a
        // host; every host where one of those switches is present lists that host in a flood list.
        func viaSwitch(_ switchID: String?) -> Touched {
            guard let switchID else { return Touched() }
            var result = Touched(switches: [switchID])
            for router in placement.routers(of: switchID) {
                result.switches.formUnion(placement.switches(of: router))
                if let edgeHost = placement.edgeHost(for: router) { result.hosts.insert(edgeHost) }
            }
            for neighbour in result.switches { result.hosts.formUnion(placement.hostsPresent(neighbour)) }
            return result
        }
        func viaRouter(_ routerID: String?) -> Touched {
            guard let routerID else { return Touched() }
            var result = placement.switches(of: routerID).reduce(into: Touched()) { $0.formUnion(viaSwitch($1)) }
            if let edgeHost = placement.edgeHost(for: routerID) { result.hosts.insert(edgeHost) }
            return result
        }
        switch change {
        case .host(let id, _):
            return Touched(hosts: [id])
        case .logicalSwitch(let id, _):
            return viaSwitch(id)
        case .port(let id, _):
            let port = state.ports[id]
            var result = viaSwitch(port?.switch)
            if let host = port?.host { result.hosts.insert(host) }
            return result
        case .router(let id, _):
            return viaRouter(id)
        case .interface(let id, _):
            let interface = state.interfaces[id]
            var result = viaRouter(interface?.router)
            result.formUnion(viaSwitch(interface?.switch))
            return result
        case .route(let id, _):
            return viaRouter(state.routes[id]?.router)
        case .externalNetwork(let id, _):
            return state.routers.values.filter { $0.externalNetwork == id }.reduce(into: Touched()) { $0.formUnion(viaRouter($1.id)) }
        case .floatingIP(let id, _):
            return viaSwitch(state.floatingIPs[id]?.port.flatMap { state.ports[$0]?.switch })
        case .service(let id, _):
            return viaRouter(state.services[id]?.router)
        case .tenant(let id, _):
            // Its routers' DNS zones are named after it.
            return state.routers.values.filter { $0.tenant == id }.reduce(into: Touched()) { $0.formUnion(viaRouter($1.id)) }
        case .project(let id, _):
            // The services of the project are named with it.
            return state.services.values.filter { $0.project == id }.reduce(into: Touched()) { $0.formUnion(viaRouter($1.router)) }
        case .cluster, .policy:
            return Touched()
        }
    }
}

extension IncrementalCompiler {
    /// Every host where the switch is present now.
    public func hostsPresent(switch switchID: String) -> Set<String> {
        PlacementNode(state: state, index: index).hostsPresent(switchID)
    }

    /// Every host running an instance of the router now, its edge host included.
    public func hostsRunning(router routerID: String) -> Set<String> {
        PlacementNode(state: state, index: index).hostsRunning(routerID)
    }

    /// The edge host carrying the router's uplink now, if any.
    public func edgeHost(router routerID: String) -> String? {
        PlacementNode(state: state, index: index).edgeHost(for: routerID)
    }
}
