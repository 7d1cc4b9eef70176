import Northbound
import Southbound

/// Keeps every host's state current as changes land, recompiling only the hosts a change touches.
///
/// A change touches the hosts where its switches, or the switches that share a router with them, are
/// present — before and after the change, since a port can make a switch or a router appear on a
/// host — and the edge hosts of the routers involved.
/// Host changes (underlay address, role) recompile everything: they are rare, and a VTEP move
/// touches every peer.
public struct IncrementalCompiler: Sendable {
    public private(set) var state: DesiredState
    public private(set) var hostStates: [String: HostState]
    private var index: TopologyIndex
    /// How many host compilations the last `apply` ran, for tests and benchmarks.
    public private(set) var lastRecompiledHosts = 0

    public init(_ state: DesiredState) {
        self.state = state
        index = TopologyIndex(state)
        hostStates = compile(state)
        lastRecompiledHosts = hostStates.count
    }

    /// Applies the changes of one revision and returns the new state of each host whose state changed
    /// (nil for a host that is gone).
    public mutating func apply(_ changes: [DesiredChange], revision: Int64) -> [String: HostState?] {
        var affected: Set<String> = []
        var everything = false
        for change in changes {
            if case .host = change { everything = true }
            if !everything { affected.formUnion(touchedHosts(change)) }
            index.apply(change, before: state)
            state.apply(change)
            if !everything { affected.formUnion(touchedHosts(change)) }
        }
        state.revision = revision
        if everything { affected = Set(state.hosts.keys).union(hostStates.keys) }

        let pipeline = Pipeline(state: state, index: index)
        var changed: [String: HostState?] = [:]
        for hostID in affected {
            let new = pipeline.compileHost(hostID)
            if hostStates[hostID] != new {
                hostStates[hostID] = new
                changed[hostID] = .some(new)
            }
        }
        lastRecompiledHosts = affected.count
        return changed
    }

    /// Hosts whose state may depend on the object a change names, in the current state.
    private func touchedHosts(_ change: DesiredChange) -> Set<String> {
        let placement = PlacementNode(state: state, index: index)
        let edge = EdgeNode(state: state, index: index, placement: placement)
        // A change on a switch can make its routers, and so their other switches, appear on or leave a
        // host; every host where one of those switches is present lists that host in a flood list.
        func viaSwitch(_ switchID: String?) -> Set<String> {
            guard let switchID else { return [] }
            var hosts: Set<String> = []
            var neighbours: Set<String> = [switchID]
            for router in placement.routers(of: switchID) {
                neighbours.formUnion(placement.switches(of: router))
                if let edgeHost = edge.edgeHost(for: router) { hosts.insert(edgeHost) }
            }
            for neighbour in neighbours { hosts.formUnion(placement.hostsPresent(neighbour)) }
            return hosts
        }
        func viaRouter(_ routerID: String?) -> Set<String> {
            guard let routerID else { return [] }
            var hosts = placement.switches(of: routerID).reduce(into: Set<String>()) { $0.formUnion(viaSwitch($1)) }
            if let edgeHost = edge.edgeHost(for: routerID) { hosts.insert(edgeHost) }
            return hosts
        }
        switch change {
        case .host(let id, _):
            return [id]
        case .logicalSwitch(let id, _):
            return viaSwitch(id)
        case .port(let id, _):
            let port = state.ports[id]
            return viaSwitch(port?.switch).union(port?.host.map { [$0] } ?? [])
        case .router(let id, _):
            return viaRouter(id)
        case .interface(let id, _):
            let interface = state.interfaces[id]
            return viaRouter(interface?.router).union(viaSwitch(interface?.switch))
        case .route(let id, _):
            return viaRouter(state.routes[id]?.router)
        case .externalNetwork(let id, _):
            return state.routers.values.filter { $0.externalNetwork == id }.reduce(into: []) { $0.formUnion(viaRouter($1.id)) }
        case .floatingIP(let id, _):
            return viaSwitch(state.floatingIPs[id]?.port.flatMap { state.ports[$0]?.switch })
        }
    }
}
