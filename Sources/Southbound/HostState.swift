/// Everything one host must hold, as a plain value: the compiler's output and the agent's input.
///
/// Collections are keyed by object id so that two states can be compared and diffed entry by entry.
public struct HostState: Codable, Equatable, Sendable {
    public var host: HostInfo
    public var switches: [String: SwitchState]
    public var ports: [String: PortState]
    public var routers: [String: RouterState]
    /// Router uplinks this host carries; only edge hosts have any.
    public var edgeRouters: [String: EdgeRouterState]
    /// The policies that select this host's ports; nil when none does (absent on the wire).
    public var policy: PolicyState?
    /// The services this host's workloads are clients of, by service id; nil when none (absent on the wire).
    public var services: [String: ServiceState]?
    /// The DNS zone each of the host's routers serves its switches' workloads, by router id; nil
    /// when none (absent on the wire).
    public var dns: [String: DNSZoneState]?

    public init(host: HostInfo, switches: [String: SwitchState] = [:], ports: [String: PortState] = [:],
                routers: [String: RouterState] = [:], edgeRouters: [String: EdgeRouterState] = [:], policy: PolicyState? = nil,
                services: [String: ServiceState]? = nil, dns: [String: DNSZoneState]? = nil) {
        self.host = host
        self.switches = switches
        self.ports = ports
        self.routers = routers
        self.edgeRouters = edgeRouters
        self.policy = policy
        self.services = services
        self.dns = dns
    }
}

public struct HostInfo: Codable, Equatable, Sendable {
    public var id: String
    public var name: String
    /// The local VTEP address on the underlay.
    public var underlay: String
    public var role: String

    public init(id: String, name: String, underlay: String, role: String) {
        self.id = id
        self.name = name
        self.underlay = underlay
        self.role = role
    }
}

/// A logical switch present on the host: a bridge plus a VXLAN device with static L2 population.
public struct SwitchState: Codable, Equatable, Sendable {
    public var vni: Int
    public var mtu: Int
    public var cidr: String
    public var gateway: String
    public var cidr6: String?
    public var gateway6: String?
    /// Ports of this switch on other hosts: static FDB and ARP/ND entries, no flood-and-learn.
    public var remotePorts: [RemotePort]
    /// The VTEPs of the other hosts where this switch is present (all-zeros FDB entries), sorted.
    public var floodList: [String]

    public init(vni: Int, mtu: Int, cidr: String, gateway: String, cidr6: String? = nil, gateway6: String? = nil,
                remotePorts: [RemotePort] = [], floodList: [String] = []) {
        self.vni = vni
        self.mtu = mtu
        self.cidr = cidr
        self.gateway = gateway
        self.cidr6 = cidr6
        self.gateway6 = gateway6
        self.remotePorts = remotePorts
        self.floodList = floodList
    }
}

/// A port of a switch on another host, reached through that host's VTEP.
public struct RemotePort: Codable, Equatable, Hashable, Sendable {
    public var mac: String
    public var ip: String
    public var ip6: String?
    public var vtep: String

    public init(mac: String, ip: String, ip6: String? = nil, vtep: String) {
        self.mac = mac
        self.ip = ip
        self.ip6 = ip6
        self.vtep = vtep
    }
}

/// A port bound to this host: what the agent configures inside the workload's namespace.
public struct PortState: Codable, Equatable, Sendable {
    public var `switch`: String
    public var name: String
    public var mac: String
    /// Address with prefix length, e.g. `10.0.0.2/24`.
    public var ip: String
    public var ip6: String?
    public var gateway: String
    public var gateway6: String?
    public var mtu: Int
    /// Prefixes the port may send from besides its own addresses: the destinations of static routes
    /// whose next hop it is. Nil for ordinary ports (absent on the wire).
    public var routedSources: [String]?
    /// The port's policy group (`g<16 hex>`): ports of one tenant with the same project, cluster
    /// and labels are alike for every policy selector, so the policies list their rules per group
    /// (``PolicyState/groups``) and a port changing labels changes only this name.
    public var policyGroup: String?

    public init(switch: String, name: String, mac: String, ip: String, ip6: String? = nil, gateway: String,
                gateway6: String? = nil, mtu: Int, routedSources: [String]? = nil, policyGroup: String? = nil) {
        self.switch = `switch`
        self.name = name
        self.mac = mac
        self.ip = ip
        self.ip6 = ip6
        self.gateway = gateway
        self.gateway6 = gateway6
        self.mtu = mtu
        self.routedSources = routedSources
        self.policyGroup = policyGroup
    }
}

/// A distributed router instance: the same gateway address and MAC on every host (anycast gateway).
public struct RouterState: Codable, Equatable, Sendable {
    /// The legs on the router's switches: the anycast gateways, whose MACs never leave the host.
    public var interfaces: [RouterInterfaceState]
    public var routes: [RouteState]
    /// The leg on the router's transit segment (listed among the host's switches under
    /// `interface.switch`) towards the edge instance; nil while the router has no edge.
    public var transit: RouterInterfaceState?

    public init(interfaces: [RouterInterfaceState], routes: [RouteState], transit: RouterInterfaceState? = nil) {
        self.interfaces = interfaces
        self.routes = routes
        self.transit = transit
    }
}

public struct RouterInterfaceState: Codable, Equatable, Sendable {
    public var `switch`: String
    /// Address with prefix length, e.g. `10.0.0.1/24`.
    public var ip: String
    /// The anycast gateway MAC: identical on every host, never sent over VXLAN.
    public var mac: String

    public init(switch: String, ip: String, mac: String) {
        self.switch = `switch`
        self.ip = ip
        self.mac = mac
    }
}

public struct RouteState: Codable, Equatable, Hashable, Sendable {
    public var destination: String
    public var nexthop: String

    public init(destination: String, nexthop: String) {
        self.destination = destination
        self.nexthop = nexthop
    }
}

/// A router's uplink on an edge host: the uplink address, SNAT, and floating IPs.
public struct EdgeRouterState: Codable, Equatable, Sendable {
    public var externalCIDR: String
    public var externalGateway: String
    public var uplinkIp: String
    /// The uplink's MAC: derived from the router, so it stays the same when the edge moves.
    public var uplinkMAC: String
    public var snat: Bool
    /// The router's subnets, source-NATed to the uplink address when `snat` is on.
    public var internalCIDRs: [String]
    public var floatingIPs: [FloatingIPState]

    public init(externalCIDR: String, externalGateway: String, uplinkIp: String, uplinkMAC: String, snat: Bool,
                internalCIDRs: [String], floatingIPs: [FloatingIPState]) {
        self.externalCIDR = externalCIDR
        self.externalGateway = externalGateway
        self.uplinkIp = uplinkIp
        self.uplinkMAC = uplinkMAC
        self.snat = snat
        self.internalCIDRs = internalCIDRs
        self.floatingIPs = floatingIPs
    }
}

/// 1:1 NAT between an external address and a port's address.
public struct FloatingIPState: Codable, Equatable, Hashable, Sendable {
    public var external: String
    public var `internal`: String

    public init(external: String, internal: String) {
        self.external = external
        self.internal = `internal`
    }
}

extension HostState {
    /// How many entries the state holds: switches, local and remote ports, flood-list VTEPs, router
    /// instances with their interfaces and routes, edge uplinks with their floating IPs and subnets.
    /// What an agent must store and the controller must send grows with it; the controller keeps it
    /// under a bound per host. Policies count their sets' elements, their lists' rules and their groups' memberships;
    /// services their ports and endpoints; DNS zones their names.
    public var entryCount: Int {
        switches.values.reduce(switches.count) { $0 + $1.remotePorts.count + $1.floodList.count }
            + ports.count
            + routers.values.reduce(routers.count) { $0 + $1.interfaces.count + $1.routes.count }
            + edgeRouters.values.reduce(edgeRouters.count) { $0 + $1.floatingIPs.count + $1.internalCIDRs.count }
            + (policy.map { policy in
                policy.sets.values.reduce(policy.sets.count) { $0 + $1.ipv4.count + $1.ipv6.count }
                    + policy.ruleLists.values.reduce(policy.ruleLists.count) { $0 + $1.rules.count }
                    + policy.groups.values.reduce(0) { $0 + $1.count }
            } ?? 0)
            + (services?.values.reduce(0) { $0 + 1 + $1.ports.count + $1.endpoints.count } ?? 0)
            + (dns?.values.reduce(0) { $0 + 1 + $1.addresses.count + $1.services.count } ?? 0)
    }
}
