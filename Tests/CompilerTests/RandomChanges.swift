import Northbound

/// A seeded generator (SplitMix64), so that a failing random sequence can be replayed from its seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// Random but valid changes to a desired state: every reference points at an existing object.
struct RandomChanges {
    var generator: SeededGenerator
    var counter = 0

    init(seed: UInt64) { generator = SeededGenerator(state: seed) }

    mutating func nextID(_ prefix: String) -> String {
        counter += 1
        return "\(prefix)-\(counter)"
    }

    mutating func pick<T>(_ values: some Collection<T>) -> T? {
        values.isEmpty ? nil : values.randomElement(using: &generator)
    }

    mutating func next(for state: DesiredState) -> DesiredChange {
        let tenants = ["tn-a", "tn-b"]
        switch Int.random(in: 0..<17, using: &generator) {
        case 0:
            let id = nextID("hs")
            let role: HostRole = Bool.random(using: &generator) ? .compute : .edge
            return .host(id: id, Host(id: id, name: id, address: "198.18.0.\(counter % 250 + 1)", role: role, labels: [:], revision: 1))
        case 1:
            let id = nextID("sw")
            let tenant = pick(tenants)!
            return .logicalSwitch(id: id, LogicalSwitch(id: id, tenant: tenant, name: id, cidr: "10.\(counter % 250).0.0/24",
                                                        gateway: "10.\(counter % 250).0.1", mtu: 1450, vni: counter, labels: [:],
                                                        revision: 1))
        case 2, 3, 4:
            guard let sw = pick(state.switches.values) else { return next(for: state) }
            let id = nextID("pt")
            let host = Int.random(in: 0..<5, using: &generator) == 0 ? nil : pick(state.hosts.keys)
            return .port(id: id, Port(id: id, tenant: sw.tenant, switch: sw.id, name: id,
                                      mac: MACAddress(UInt64(0x02) << 40 | UInt64(counter)).description,
                                      ip: "10.0.0.\(counter % 250 + 2)", host: host, labels: [:], revision: 1))
        case 5:
            guard var port = pick(state.ports.values) else { return next(for: state) }
            port.host = pick(state.hosts.keys)
            return .port(id: port.id, port)
        case 6:
            guard let port = pick(state.ports.keys) else { return next(for: state) }
            return .port(id: port, nil)
        case 7:
            let id = nextID("rt")
            let network = Bool.random(using: &generator) ? pick(state.externalNetworks.keys) : nil
            return .router(id: id, LogicalRouter(id: id, tenant: pick(tenants)!, name: id, externalNetwork: network, snat: true,
                                                 uplinkIp: network.map { _ in "203.0.113.\(counter % 200 + 10)" },
                                                 transitVni: 100_000 + counter, labels: [:],
                                                 revision: 1))
        case 8, 9:
            guard let router = pick(state.routers.values),
                  let sw = pick(state.switches.values.filter { $0.tenant == router.tenant }) else { return next(for: state) }
            guard !state.interfaces.values.contains(where: { $0.router == router.id && $0.switch == sw.id }) else { return next(for: state) }
            let id = nextID("ri")
            return .interface(id: id, RouterInterface(id: id, router: router.id, switch: sw.id, ip: sw.gateway, revision: 1))
        case 10:
            guard let interface = pick(state.interfaces.keys) else { return next(for: state) }
            return .interface(id: interface, nil)
        case 11:
            guard let router = pick(state.routers.keys) else { return next(for: state) }
            let id = nextID("rr")
            return .route(id: id, StaticRoute(id: id, router: router, destination: "10.99.\(counter % 250).0/24", nexthop: "10.0.0.5",
                                              revision: 1))
        case 12:
            let id = nextID("en")
            return .externalNetwork(id: id, ExternalNetwork(id: id, name: id, cidr: "203.0.113.0/24", gateway: "203.0.113.1",
                                                            poolStart: "203.0.113.10", poolEnd: "203.0.113.250", labels: [:],
                                                            revision: 1))
        case 13:
            guard var router = pick(state.routers.values) else { return next(for: state) }
            router.externalNetwork = router.externalNetwork == nil ? pick(state.externalNetworks.keys) : nil
            router.uplinkIp = router.externalNetwork.map { _ in "203.0.113.\(counter % 200 + 10)" }
            return .router(id: router.id, router)
        case 14:
            guard let network = pick(state.externalNetworks.keys) else { return next(for: state) }
            let used = Set(state.floatingIPs.values.compactMap(\.port))
            let id = nextID("fip")
            let port = pick(state.ports.keys.filter { !used.contains($0) })
            return .floatingIP(id: id, FloatingIP(id: id, tenant: "tn-a", externalNetwork: network,
                                                  address: "203.0.113.\(counter % 200 + 10)", port: port, labels: [:], revision: 1))
        case 15:
            guard var host = pick(state.hosts.values) else { return next(for: state) }
            host.available.toggle()
            return .host(id: host.id, host)
        default:
            guard var host = pick(state.hosts.values) else { return next(for: state) }
            host.role = host.role == .edge ? .compute : .edge
            return .host(id: host.id, host)
        }
    }
}
