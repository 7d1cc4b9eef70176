import Northbound

/// Which ports, switches and routers each host carries.
///
/// A port is local where it is bound. A router runs on every host with a port on one of its switches
/// (distributed routing), and a switch is present wherever it has a local port or one of its routers runs.
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
        Set(localPorts(on: hostID).map(\.switch)).reduce(into: []) { $0.formUnion(routers(of: $1)) }
    }

    func switchesPresent(on hostID: String) -> Set<String> {
        let local = Set(localPorts(on: hostID).map(\.switch))
        return routersPresent(on: hostID).reduce(into: local) { $0.formUnion(switches(of: $1)) }
    }

    /// Every host where the switch is present: hosts with its ports, and hosts running one of its routers.
    func hostsPresent(_ switchID: String) -> Set<String> {
        routers(of: switchID).reduce(into: index.hostsWithPorts(on: switchID)) { hosts, router in
            for neighbour in switches(of: router) { hosts.formUnion(index.hostsWithPorts(on: neighbour)) }
        }
    }
}
