import Northbound
import Southbound

/// Follows a packet through the compiled state the hosts were given — not through the desired
/// state — so a trace explains what the hosts were actually told: the source's switch and host,
/// the router instance that routes it (distributed, or the edge), static routes, NAT at the edge,
/// the tunnel to the destination's VTEP, and the destination port; a service's address is
/// translated to one of its endpoints where the host's load-balancing table would. It stops at the
/// first hop whose state has nothing for the packet, and says why.
///
/// IPv4 only; it does not apply policies (``PolicyEvaluator`` answers for them).
public struct Tracer {
    let desired: DesiredState
    let hosts: [String: HostState]
    /// Whether a host acked the state a hop relies on.
    let realized: (String) -> Bool
    /// Service id → the endpoints (port ids) failing their health checks: hosts leave them out.
    let unhealthy: [String: Set<String>]
    private var hops: [TraceHop] = []
    /// The destination port, when the trace is to a port rather than an address.
    private var targetPort: String?
    /// The packet's protocol and destination port, which decide whether a service balances it.
    private var wanted: (protocol: TraceProtocol, port: Int?) = (.any, nil)
    private let hostByVTEP: [String: String]

    public init(desired: DesiredState, hosts: [String: HostState], unhealthy: [String: Set<String>] = [:],
                realized: @escaping (String) -> Bool) {
        self.desired = desired
        self.hosts = hosts
        self.unhealthy = unhealthy
        self.realized = realized
        hostByVTEP = Dictionary(hosts.map { ($0.value.host.underlay, $0.key) }, uniquingKeysWith: min)
    }

    /// Bounds a walk that could only loop through a state that routes in a circle.
    static let maximumHops = 32

    /// Where and why the walk stopped short of the destination.
    private struct Dropped: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// The trace of `query`; the source port must exist in the desired state (the caller checks).
    public mutating func trace(_ query: TraceQuery) -> Trace {
        hops = []
        if case .port(let id) = query.to { targetPort = id } else { targetPort = nil }
        wanted = (query.protocol, query.port)
        var reason: String?
        do throws(Dropped) {
            try walk(query)
        } catch {
            reason = error.reason
        }
        return Trace(from: query.from, to: query.target, protocol: query.protocol, port: query.port, revision: desired.revision,
                     verdict: reason == nil ? .delivered : .dropped, reason: reason, hops: hops)
    }

    private mutating func walk(_ query: TraceQuery) throws(Dropped) {
        guard let port = desired.ports[query.from], let source = IPv4Address(port.ip) else {
            throw Dropped("the source port has no IPv4 address")
        }
        guard let hostID = port.host, hosts[hostID]?.ports[port.id] != nil else {
            throw Dropped(port.host == nil ? "the source port is not bound to a host"
                : "no host was given the source port yet (its host has no compiled state)")
        }
        let destination: IPv4Address
        switch query.to {
        case .address(let address): destination = address
        case .port(let id):
            guard let address = desired.ports[id].flatMap({ IPv4Address($0.ip) }) else { throw Dropped("the destination port has no IPv4 address") }
            destination = address
        }
        add(.source, port.id, on: hostID, "\(port.ip) (\(port.mac)) on switch \(port.switch)")
        guard let sourceSwitch = hosts[hostID]?.switches[port.switch], let subnet = IPv4Network(sourceSwitch.cidr) else {
            throw Dropped("host \(name(hostID)) was not given the port's switch")
        }
        // The host's load-balancing table sees the packet on the client's bridge, before any router;
        // it balances the services with a VIP (a headless one has none), at their external address too.
        let clientSwitch = port.switch
        if let service = balancedService(at: destination, on: hostID, addresses: { [$0.vip, $0.externalIp] }, where: { service in
            service.vip != nil && hosts[hostID]?.routers[service.router]?.interfaces.contains { $0.switch == clientSwitch } == true
        }) {
            return try balance(service, at: destination, from: source, on: hostID)
        }
        if subnet.contains(destination) {
            try deliver(destination, on: port.switch, at: hostID)
        } else {
            guard let router = hosts[hostID]?.routers.first(where: { $0.value.interfaces.contains { $0.switch == port.switch } })?.key else {
                throw Dropped("switch \(port.switch) has no router on host \(name(hostID)): nothing answers its gateway \(sourceSwitch.gateway)")
            }
            try route(destination, from: source, through: router, at: hostID)
        }
    }

    /// Routes `destination` in the instance of `routerID` on `hostID`: a connected subnet, then the
    /// longest matching static route, then (on the edge host) the uplink.
    private mutating func route(_ destination: IPv4Address, from source: IPv4Address, through routerID: String,
                                at hostID: String) throws(Dropped) {
        guard let host = hosts[hostID], let router = host.routers[routerID] else {
            throw Dropped("host \(name(hostID)) runs no instance of router \(routerID)")
        }
        let edge = host.edgeRouters[routerID]
        add(.router, routerID, on: hostID, edge == nil ? "distributed instance routes \(destination)" : "edge instance routes \(destination)")
        if let interface = router.interfaces.first(where: { IPv4Network(containing: $0.ip)?.contains(destination) == true }) {
            return try deliver(destination, on: interface.switch, at: hostID)
        }
        let matches = router.routes.compactMap { route in IPv4Network(route.destination).map { (route, $0) } }
            .filter { $0.1.contains(destination) }
        if let (route, prefix) = matches.max(by: { $0.1.prefixLength < $1.1.prefixLength }), let nexthop = IPv4Address(route.nexthop) {
            if router.transit != nil, edge == nil, route.nexthop == RouterNode.edgeTransitIP {
                return try viaTransit(destination, from: source, through: routerID, at: hostID, sending: route)
            }
            add(.route, routeID(routerID, prefix), on: hostID, "\(route.destination) via \(route.nexthop)")
            if let interface = router.interfaces.first(where: { IPv4Network(containing: $0.ip)?.contains(nexthop) == true }) {
                return try deliver(nexthop, on: interface.switch, at: hostID,
                                   arrival: "handed to next hop \(nexthop), which forwards it to \(destination)")
            }
            if let edge, IPv4Network(edge.externalCIDR)?.contains(nexthop) == true {
                return try leave(destination, from: source, through: routerID, at: hostID, nexthop: nexthop)
            }
            throw Dropped("the next hop \(nexthop) of route \(route.destination) is on none of router \(routerID)'s subnets")
        }
        if edge != nil {
            return try leave(destination, from: source, through: routerID, at: hostID, nexthop: nil)
        }
        throw Dropped("router \(routerID) has no route to \(destination) and no uplink")
    }

    /// From a distributed instance over the router's transit segment to its edge instance.
    private mutating func viaTransit(_ destination: IPv4Address, from source: IPv4Address, through routerID: String, at hostID: String,
                                     sending transitRoute: RouteState) throws(Dropped) {
        guard let edgeHost = hosts.first(where: { $0.value.edgeRouters[routerID] != nil })?.key else {
            throw Dropped("router \(routerID) sends \(transitRoute.destination) to its edge, but no host carries its uplink")
        }
        add(.transit, routerID, on: hostID, "\(transitRoute.destination) goes to the edge instance on \(name(edgeHost)) "
            + "(\(hosts[hostID]?.host.underlay ?? "?") → \(hosts[edgeHost]?.host.underlay ?? "?"))")
        try route(destination, from: source, through: routerID, at: edgeHost)
    }

    /// Out of the router's uplink on its edge host: NAT, then the external network, where a
    /// floating IP of any router brings it back in.
    private mutating func leave(_ destination: IPv4Address, from source: IPv4Address, through routerID: String, at hostID: String,
                                nexthop: IPv4Address?) throws(Dropped) {
        guard let edge = hosts[hostID]?.edgeRouters[routerID] else { throw Dropped("host \(name(hostID)) carries no uplink of \(routerID)") }
        let translated: IPv4Address
        if let floating = edge.floatingIPs.first(where: { IPv4Address($0.internal) == source }), let external = IPv4Address(floating.external) {
            add(.nat, floatingIPID(external) ?? routerID, on: hostID, "source \(source) becomes floating IP \(external)")
            translated = external
        } else if edge.snat, edge.internalCIDRs.contains(where: { IPv4Network($0)?.contains(source) == true }),
                  let uplink = IPv4Address(edge.uplinkIp) {
            add(.nat, routerID, on: hostID, "source \(source) becomes the uplink address \(uplink) (SNAT)")
            translated = uplink
        } else {
            add(.nat, routerID, on: hostID, "no SNAT: the source stays \(source)")
            translated = source
        }
        add(.uplink, routerID, on: hostID, "out of uplink \(edge.uplinkIp) onto \(edge.externalCIDR)"
            + (nexthop.map { " via \($0)" } ?? ""))
        try arrive(destination, from: translated, externalCIDR: edge.externalCIDR, gateway: nexthop?.description ?? edge.externalGateway)
    }

    /// On the external network: a floating IP is translated in by its router's edge, the uplink
    /// address of a router takes only replies, anything else is the external network's.
    private mutating func arrive(_ destination: IPv4Address, from source: IPv4Address, externalCIDR: String, gateway: String) throws(Dropped) {
        for (hostID, host) in hosts.sorted(by: { $0.key < $1.key }) {
            for (routerID, edge) in host.edgeRouters.sorted(by: { $0.key < $1.key }) {
                if let floating = edge.floatingIPs.first(where: { IPv4Address($0.external) == destination }),
                   let inside = IPv4Address(floating.internal) {
                    add(.uplink, routerID, on: hostID, "floating IP \(destination) arrives at router \(routerID)'s uplink")
                    add(.nat, floatingIPID(destination) ?? routerID, on: hostID, "destination \(destination) becomes \(inside)")
                    return try route(inside, from: source, through: routerID, at: hostID)
                }
                if let service = balancedService(at: destination, on: hostID, addresses: { [$0.externalIp] },
                                                 where: { $0.router == routerID }) {
                    add(.uplink, routerID, on: hostID, "\(destination) arrives at router \(routerID)'s uplink")
                    return try balance(service, at: destination, from: source, on: hostID)
                }
                if IPv4Address(edge.uplinkIp) == destination {
                    add(.uplink, routerID, on: hostID, "\(destination) is router \(routerID)'s uplink address")
                    throw Dropped("an uplink address takes only replies to connections from inside (SNAT); no floating IP is \(destination)")
                }
            }
        }
        if let targetPort {
            throw Dropped("\(targetPort) is at \(destination) inside another network: from outside it is reached only through a floating IP")
        }
        let onLink = IPv4Network(externalCIDR)?.contains(destination) == true
        add(.destination, destination.description, on: nil, onLink ? "on the external network \(externalCIDR)" : "beyond the external gateway \(gateway)")
    }

    /// The service `hostID` balances `destination` for, among those `applies` to and at one of their
    /// `addresses`; nil when there is none, or when the packet is for none of its ports (then no
    /// table translates it, and it is routed as any address is).
    private func balancedService(at destination: IPv4Address, on hostID: String, addresses: (ServiceState) -> [String?],
                                 where applies: (ServiceState) -> Bool) -> (id: String, state: ServiceState, port: ServicePortState)? {
        let services = (hosts[hostID]?.services ?? [:]).filter { _, service in
            addresses(service).contains { $0.flatMap(IPv4Address.init) == destination } && applies(service)
        }
        for (id, service) in services.sorted(by: { $0.key < $1.key }) {
            if let port = service.ports.first(where: { wanted.protocol.reaches($0.protocol, $0.port, at: wanted.port) }) {
                return (id, service, port)
            }
        }
        return nil
    }

    /// Translates a service's address to one of its endpoints that take connections (the first by
    /// address stands for all) and routes it there with the service's router, on `hostID`.
    private mutating func balance(_ service: (id: String, state: ServiceState, port: ServicePortState), at address: IPv4Address,
                                  from source: IPv4Address, on hostID: String) throws(Dropped) {
        let (id, state, port) = service
        let name = desired.services[id]?.name ?? id
        let out = unhealthy[id] ?? []
        let taking = state.endpoints.filter { !out.contains($0.port) }
        let failed = state.endpoints.count - taking.count
        let failing = failed == 0 ? "" : " (\(failed) failing their health check)"
        guard let endpoint = taking.first, let target = IPv4Address(endpoint.ip) else {
            add(.service, id, on: hostID, "\(address):\(port.port)/\(port.protocol) is service \(name)")
            throw Dropped("service \(name) has no endpoint taking connections\(failing): the host drops them")
        }
        add(.service, id, on: hostID, "\(address):\(port.port)/\(port.protocol) is service \(name), balanced (\(state.algorithm.rawValue)) "
            + "over \(taking.count) endpoint\(taking.count == 1 ? "" : "s")\(failing); following \(endpoint.ip):\(port.targetPort) "
            + "(\(endpoint.port))")
        try route(target, from: source, through: state.router, at: hostID)
    }

    /// Delivers `destination` on a switch of `hostID`: a local port, the router's own gateway, or a
    /// remote port through the tunnel to its host's VTEP.
    private mutating func deliver(_ destination: IPv4Address, on switchID: String, at hostID: String,
                                  arrival: String? = nil) throws(Dropped) {
        guard let host = hosts[hostID], let logicalSwitch = host.switches[switchID] else {
            throw Dropped("host \(name(hostID)) was not given switch \(switchID)")
        }
        if let local = Self.port(holding: destination, on: switchID, in: host) {
            add(.switch, switchID, on: hostID, "\(destination) is a port on this host (VNI \(logicalSwitch.vni))")
            return add(.destination, local, on: hostID, arrival ?? "delivered to \(destination)")
        }
        if let router = host.routers.first(where: { $0.value.interfaces.contains { $0.switch == switchID && Self.address(of: $0.ip) == destination } }) {
            return add(.destination, router.key, on: hostID, "\(destination) is router \(router.key)'s gateway on \(switchID)")
        }
        guard let remote = logicalSwitch.remotePorts.first(where: { IPv4Address($0.ip) == destination }) else {
            throw Dropped("no port on switch \(switchID) holds \(destination): its ARP goes unanswered")
        }
        add(.switch, switchID, on: hostID, "\(destination) (\(remote.mac)) is behind VTEP \(remote.vtep)")
        guard let peerID = hostByVTEP[remote.vtep], let peer = hosts[peerID] else {
            throw Dropped("no host has the VTEP \(remote.vtep)")
        }
        add(.tunnel, switchID, on: hostID, "VXLAN VNI \(logicalSwitch.vni) from \(host.host.underlay) to \(name(peerID)) at \(remote.vtep)")
        guard peer.switches[switchID] != nil, let port = Self.port(holding: destination, on: switchID, in: peer) else {
            throw Dropped("host \(name(peerID)) was not given the port holding \(destination)")
        }
        add(.destination, port, on: peerID, arrival ?? "delivered to \(destination)")
    }

    private mutating func add(_ kind: TraceHopKind, _ object: String, on hostID: String?, _ detail: String) {
        hops.append(TraceHop(kind: kind, object: object, host: hostID.map(name), realized: hostID.map(realized), detail: detail))
    }

    private func name(_ hostID: String) -> String {
        hosts[hostID]?.host.name ?? desired.hosts[hostID]?.name ?? hostID
    }

    private func routeID(_ routerID: String, _ prefix: IPv4Network) -> String {
        desired.routes.values.first { $0.router == routerID && IPv4Network($0.destination) == prefix }?.id ?? routerID
    }

    private func floatingIPID(_ address: IPv4Address) -> String? {
        desired.floatingIPs.values.first { IPv4Address($0.address) == address }?.id
    }

    private static func port(holding address: IPv4Address, on switchID: String, in host: HostState) -> String? {
        host.ports.filter { $0.value.switch == switchID && Self.address(of: $0.value.ip) == address }.keys.min()
    }

    /// `10.0.0.1` of `10.0.0.1/24`.
    private static func address(of addressWithPrefix: String) -> IPv4Address? {
        IPv4Network.parse(addressWithPrefix)?.address
    }
}
