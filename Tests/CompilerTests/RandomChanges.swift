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
        switch Int.random(in: 0..<23, using: &generator) {
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
            let project = pick(state.projects.values.filter { $0.tenant == sw.tenant })?.id
            return .port(id: id, Port(id: id, tenant: sw.tenant, project: project, switch: sw.id, name: id,
                                      mac: MACAddress(UInt64(0x02) << 40 | UInt64(counter)).description,
                                      ip: "10.0.0.\(counter % 250 + 2)", host: host, labels: randomLabels(), revision: 1))
        case 5:
            guard var port = pick(state.ports.values) else { return next(for: state) }
            // Half of them move the port, half relabel and rename it where it is.
            if Bool.random(using: &generator) {
                port.host = pick(state.hosts.keys)
            } else {
                port.labels = randomLabels()
                port.name = nextID("renamed")
            }
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
        case 16:
            guard var host = pick(state.hosts.values) else { return next(for: state) }
            host.role = host.role == .edge ? .compute : .edge
            return .host(id: host.id, host)
        case 17:
            let tenant = pick(tenants)!
            return .tenant(id: tenant, Tenant(id: tenant, name: tenant == "tn-a" ? "alpha" : "beta", quotas: .defaults, labels: [:], revision: 1))
        case 18:
            let id = nextID("pj")
            return .project(id: id, Project(id: id, tenant: pick(tenants)!, name: pick(Self.projectNames)!, labels: [:], revision: 1))
        case 19:
            guard var port = pick(state.ports.values) else { return next(for: state) }
            port.labels = randomLabels()
            return .port(id: port.id, port)
        case 20, 21:
            let id = pick(state.policies.keys).flatMap { Bool.random(using: &generator) ? $0 : nil } ?? nextID("np")
            return .policy(id: id, randomPolicy(id: id))
        case 22:
            guard let policy = pick(state.policies.keys) else { return next(for: state) }
            return .policy(id: policy, nil)
        case 15:
            guard var host = pick(state.hosts.values) else { return next(for: state) }
            host.available.toggle()
            return .host(id: host.id, host)
        default:
            return next(for: state)
        }
    }

    static let projectNames = ["front", "back", "ops"]

    mutating func randomLabels() -> [String: String] {
        switch Int.random(in: 0..<3, using: &generator) {
        case 0: [:]
        case 1: ["app": "web"]
        default: ["app": "db"]
        }
    }

    /// A policy of either tier with selectors, peers, ports and expressions drawn from small sets,
    /// so that they often select something.
    mutating func randomPolicy(id: String) -> NetworkPolicy {
        let admin = Int.random(in: 0..<4, using: &generator) == 0
        let tenant = admin ? nil : pick(["tn-a", "tn-b"])
        func maybe<T>(_ value: T) -> T? { Bool.random(using: &generator) ? value : nil }
        var selector = PolicySelector(project: maybe(pick(Self.projectNames)!), labels: maybe(["app": pick(["web", "db"])!]))
        if admin { selector.tenant = maybe(pick(["alpha", "beta", "*"])!) }
        var rules: [[PolicyRule]?] = []
        for ingress in [true, false] {
            guard Bool.random(using: &generator) else {
                rules.append(nil)
                continue
            }
            rules.append((0..<Int.random(in: 0...2, using: &generator)).map { _ in
                let peers: [PolicyPeer]? = maybe([
                    Bool.random(using: &generator) ? PolicyPeer(cidr: pick(["10.0.0.0/28", "203.0.113.0/24", "10.0.0.7/32"])!)
                        : PolicyPeer(tenant: maybe(pick(["alpha", "beta", "*"])!), project: maybe(pick(Self.projectNames)!),
                                     labels: maybe(["app": pick(["web", "db"])!])),
                ])
                let ports: [PolicyPorts]? = maybe([pick([PolicyPorts(protocol: .tcp, port: 80), PolicyPorts(protocol: .udp, port: 50, endPort: 60),
                                                         PolicyPorts(protocol: .icmp), PolicyPorts(protocol: .tcp)])!])
                let expression = maybe(pick(["src_project==front", "dst_label.app in (web, db)", "!(src_tenant==alpha)",
                                             "src_tenant==beta || dst_project!=ops"])!)
                let action: PolicyAction? = admin ? pick([.allow, .deny, .pass]) : nil
                return PolicyRule(action: action, from: ingress ? peers : nil, to: ingress ? nil : peers, ports: ports,
                                  expression: expression)
            })
        }
        return NetworkPolicy(id: id, tenant: tenant, name: id, tier: admin ? .admin : .tenant,
                             priority: admin ? Int.random(in: 0..<3, using: &generator) : 0, appliesTo: selector,
                             ingress: rules[0], egress: rules[1], revision: 1)
    }
}
