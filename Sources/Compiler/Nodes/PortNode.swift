import Northbound
import Southbound

/// A local port as the agent configures it in the workload's namespace.
struct PortNode {
    func portState(_ port: Port, on logicalSwitch: LogicalSwitch) -> PortState {
        PortState(switch: port.switch, name: port.name, mac: port.mac,
                  ip: "\(port.ip)/\(prefixLength(logicalSwitch.cidr))",
                  ip6: port.ip6.map { "\($0)/\(prefixLength(logicalSwitch.cidr6 ?? "/128"))" },
                  gateway: logicalSwitch.gateway, gateway6: logicalSwitch.gateway6, mtu: logicalSwitch.mtu)
    }
}

func prefixLength(_ cidr: String) -> String {
    String(cidr.split(separator: "/").last ?? "32")
}
