import Northbound
import Southbound

/// Which ports, switches and routers each host carries.
///
/// A port is local where it is bound. A router runs on every host with a port on one of its switches
/// (distributed routing) and on the edge host carrying its uplink, and a switch is present wherever it
/// has a local port or one of its routers runs.
struct PlacementNode {
    let state: DesiredState
    let index: TopologyIndex

    func routers(of switchID: String) -> Set<String> {
        Set((index.interfacesBySwitch[switchID] ?? []).compactMap { state.interfaces[$0]?.router })
    }

    func switches(of routerID: String) -> Set<String> {
        Set((index.interfacesByRouter[routerID] ?? []).compactMap { state.interfaces[$0]?.switch })
    }

    func localPorts(on hostID: String) -> [Port] {
        (index.portsByHost[hostID] ?? []).compactMap { state.ports[$0] }
    }

    func routersPresent(on hostID: String) -> Set<String> {
        Set(localPorts(on: hostID).map(\.switch)).reduce(into: Set(edgeRouters(on: hostID))) { $0.formUnion(routers(of: $1)) }
    }

    /// The edge host carrying a router's uplink: rendezvous hashing over the edge hosts that are up,
    /// so every party computes the same answer, and losing or adding an edge host moves only the
    /// routers that must move.
    func edgeHost(for routerID: String) -> String? {
        guard state.routers[routerID]?.externalNetwork != nil else { return nil }
        return state.hosts.values.filter { $0.role == .edge && $0.available }
            .max { StableHash.fnv1a(routerID, $0.id) < StableHash.fnv1a(routerID, $1.id) }?.id
    }

    /// Routers whose uplink the host carries.
    func edgeRouters(on hostID: String) -> [String] {
        guard let host = state.hosts[hostID], host.role == .edge, host.available else { return [] }
        return state.routers.values.filter { $0.externalNetwork != nil && edgeHost(for: $0.id) == hostID }.map(\.id)
    }

    func switchesPresent(on hostID: String) -> Set<String> {
        let local = Set(localPorts(on: hostID).map(\.switch))
        return routersPresent(on: hostID).reduce(into: local) { $0.formUnion(switches(of: $1)) }
    }

    /// Every host where the switch is present: hosts with its ports, and hosts running one of its routers.
    func hostsPresent(_ switchID: String) -> Set<String> {
        routers(of: switchID).reduce(into: index.hostsWithPorts(on: switchID)) { hosts, router in
            hosts.formUnion(hostsRunning(router))
        }
    }

    /// Every host running an instance of the router: hosts with a port on one of its switches, and
    /// its edge host.
    func hostsRunning(_ routerID: String) -> Set<String> {
        switches(of: routerID).reduce(into: Set(edgeHost(for: routerID).map { [$0] } ?? [])) { hosts, neighbour in
            hosts.formUnion(index.hostsWithPorts(on: neighbour))
        }
    }
}
