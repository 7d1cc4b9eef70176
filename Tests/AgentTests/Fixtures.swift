import Southbound

/// Host states to push to an agent.
enum Fixtures {
    static let host = HostInfo(id: "host-1", name: "hv1", underlay: "198.18.0.1", role: "compute")

    /// One switch with one local port.
    static let first = HostState(
        host: host,
        switches: ["sw-1": SwitchState(vni: 100, mtu: 1450, cidr: "10.0.0.0/24", gateway: "10.0.0.1")],
        ports: ["port-1": PortState(switch: "sw-1", name: "port-1", mac: "02:00:00:00:00:01", ip: "10.0.0.2/24", gateway: "10.0.0.1", mtu: 1450)]
    )

    /// ``first`` with a remote port learned, the local port replaced and a router added.
    static let second = HostState(
        host: host,
        switches: ["sw-1": SwitchState(vni: 100, mtu: 1450, cidr: "10.0.0.0/24", gateway: "10.0.0.1",
                                       remotePorts: [RemotePort(mac: "02:00:00:00:00:09", ip: "10.0.0.9", vtep: "198.18.0.2")],
                                       floodList: ["198.18.0.2"])],
        ports: ["port-2": PortState(switch: "sw-1", name: "port-2", mac: "02:00:00:00:00:02", ip: "10.0.0.3/24", gateway: "10.0.0.1", mtu: 1450)],
        routers: ["router-1": RouterState(interfaces: [RouterInterfaceState(switch: "sw-1", ip: "10.0.0.1/24", mac: "02:00:00:00:01:00")], routes: [])]
    )
}
