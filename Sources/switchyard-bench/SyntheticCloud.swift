import Northbound

/// A synthetic cloud for the southbound benchmarks: `hosts` hypervisors, each switch spread over
/// `portsPerSwitch` hosts with one port on each, so every host ends up with `portsPerHost` ports.
struct SyntheticCloud {
    let hosts: Int
    let portsPerHost: Int
    let portsPerSwitch: Int

    var switchCount: Int { hosts * portsPerHost / portsPerSwitch }

    /// The host of the `k`-th port of switch `s`: spread with a stride so switches span distinct hosts.
    func host(ofSwitch s: Int, port k: Int) -> Int { (s * portsPerSwitch + k * (hosts / portsPerSwitch + 1)) % hosts }

    func desiredState() -> DesiredState {
        var state = DesiredState(revision: 1)
        for h in 0..<hosts {
            let id = "hs-\(h)"
            state.hosts[id] = Host(id: id, name: "hv\(h)", address: underlay(h), role: .compute, labels: [:], revision: 1)
        }
        for s in 0..<switchCount {
            let id = "sw-\(s)"
            state.switches[id] = LogicalSwitch(id: id, tenant: "tn-bench", name: "net\(s)", cidr: "10.0.0.0/24", gateway: "10.0.0.1",
                                               mtu: 1450, vni: s + 1, labels: [:], revision: 1)
            for k in 0..<portsPerSwitch {
                let port = "pt-\(s)-\(k)"
                state.ports[port] = Port(id: port, tenant: "tn-bench", switch: id, name: "p\(k)",
                                         mac: MACAddress(UInt64(0x02) << 40 | UInt64(s * portsPerSwitch + k)).description,
                                         ip: "10.0.0.\(k + 2)", host: "hs-\(host(ofSwitch: s, port: k))", labels: [:], revision: 1)
            }
        }
        return state
    }

    func underlay(_ h: Int) -> String { "198.18.\(h / 250).\(h % 250 + 1)" }
}
