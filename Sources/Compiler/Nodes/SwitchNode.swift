import Northbound
import Southbound

/// A switch as one host sees it: static L2 population for the ports elsewhere, and the flood list.
struct SwitchNode {
    let state: DesiredState
    let index: TopologyIndex
    let placement: PlacementNode

    func switchState(_ logicalSwitch: LogicalSwitch, on hostID: String) -> SwitchState {
        let remotePorts = (index.portsBySwitch[logicalSwitch.id] ?? []).compactMap { portID -> RemotePort? in
            guard let port = state.ports[portID], let portHost = port.host, portHost != hostID,
                  let vtep = state.hosts[portHost]?.address else { return nil }
            return RemotePort(mac: port.mac, ip: port.ip, ip6: port.ip6, vtep: vtep)
        }.sorted { $0.mac < $1.mac }
        let floodList = placement.hostsPresent(logicalSwitch.id).subtracting([hostID])
            .compactMap { state.hosts[$0]?.address }.sorted()
        return SwitchState(vni: logicalSwitch.vni, mtu: logicalSwitch.mtu, cidr: logicalSwitch.cidr, gateway: logicalSwitch.gateway,
                           cidr6: logicalSwitch.cidr6, gateway6: logicalSwitch.gateway6, remotePorts: remotePorts, floodList: floodList)
    }
}
