import Northbound
import Southbound

/// A switch as one host sees it: static L2 population for the ports elsewhere, and the flood list.
struct SwitchNode {
    let state: DesiredState
    let index: TopologyIndex
    let placement: PlacementNode
    /// Each switch's members, built once per compile run for all the hosts it spans.
    let members: RunMemo<SwitchMembers>

    func switchState(_ logicalSwitch: LogicalSwitch, on hostID: String) -> SwitchState {
        let all = members.value(for: logicalSwitch.id) {
            let ports = (index.portsBySwitch[logicalSwitch.id] ?? []).compactMap { portID -> SwitchMembers.Port? in
                guard let port = state.ports[portID], let portHost = port.host, let vtep = state.hosts[portHost]?.address else { return nil }
                return SwitchMembers.Port(host: portHost, remote: RemotePort(mac: port.mac, ip: port.ip, ip6: port.ip6, vtep: vtep))
            }
            let vteps = placement.hostsPresent(logicalSwitch.id).compactMap { host in
                state.hosts[host].map { SwitchMembers.VTEP(host: host, address: $0.address) }
            }
            return SwitchMembers(ports: ports.sorted { $0.remote.mac < $1.remote.mac }, vteps: vteps.sorted { $0.address < $1.address })
        }
        return SwitchState(vni: logicalSwitch.vni, mtu: logicalSwitch.mtu, cidr: logicalSwitch.cidr, gateway: logicalSwitch.gateway,
                           cidr6: logicalSwitch.cidr6, gateway6: logicalSwitch.gateway6,
                           remotePorts: all.ports.compactMap { $0.host == hostID ? nil : $0.remote },
                           floodList: all.vteps.compactMap { $0.host == hostID ? nil : $0.address })
    }
}

/// A switch's ports (sorted by MAC) and VTEPs (sorted), with their hosts: every host the switch
/// spans sees the same lists less its own entries, so a full compile sorts and looks up each switch
/// once instead of once per host (ten times, in the benches' clouds).
struct SwitchMembers {
    struct Port {
        let host: String
        let remote: RemotePort
    }

    struct VTEP {
        let host: String
        let address: String
    }

    let ports: [Port]
    let vteps: [VTEP]
}
