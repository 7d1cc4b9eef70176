import Northbound
import Southbound

/// A local port as the agent configures it in the workload's namespace.
struct PortNode {
    let state: DesiredState
    let index: TopologyIndex

    func portState(_ port: Port, on logicalSwitch: LogicalSwitch) -> PortState {
        PortState(switch: port.switch, name: port.name, mac: port.mac,
                  ip: "\(port.ip)/\(prefixLength(logicalSwitch.cidr))",
                  ip6: port.ip6.map { "\($0)/\(prefixLength(logicalSwitch.cidr6 ?? "/128"))" },
                  gateway: logicalSwitch.gateway, gateway6: logicalSwitch.gateway6, mtu: logicalSwitch.mtu,
                  routedSources: routedSources(port), policyGroup: PolicyGroup.name(of: port))
    }

    /// The destinations of the static routes whose next hop is this port (on a router of its
    /// switch): a workload that routes for others answers from those addresses, and anti-spoofing
    /// must let it. Nil when it is no next hop, which keeps ordinary ports' state as it was.
    func routedSources(_ port: Port) -> [String]? {
        let routers = Set((index.interfacesBySwitch[port.switch] ?? []).compactMap { state.interfaces[$0]?.router })
        let ownAddresses: Set<String> = Set([port.ip] + (port.ip6.map { [$0] } ?? []))
        let routes: [StaticRoute] = routers.flatMap { index.routesByRouter[$0] ?? [] }.compactMap { state.routes[$0] }
        let destinations = routes.filter { ownAddresses.contains($0.nexthop) }.map(\.destination)
        return destinations.isEmpty ? nil : Set(destinations).sorted()
    }
}

func prefixLength(_ cidr: String) -> String {
    String(cidr.split(separator: "/").last ?? "32")
}
