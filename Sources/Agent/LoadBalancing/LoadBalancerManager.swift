import Kernel
import Southbound

/// Load-balances the host's services (``LoadBalancerRuleset``): the `ip sy-lb` table, and what
/// bridged NAT needs from the agent's namespace.
///
/// When NAT changes a bridged packet's destination, br_netfilter routes the new destination in the
/// bridge's namespace and keeps the packet bridged only if that route leads out of the same
/// bridge; it then takes the destination MAC from the bridge's neighbour table. So each client
/// bridge gets a rule (`iif BRIDGE lookup TABLE`) to a table of its own holding one route out of
/// itself (tenants' addresses overlap, so they cannot share the main table), forwarding on, and a
/// permanent neighbour per endpoint address: the endpoint's MAC when it is on that bridge's
/// switch (delivered straight to it), else the router's gateway MAC (the router forwards it). A
/// local endpoint's port has hairpin mode on, so a connection it makes to its own service can
/// come back to it. The rules, tables and neighbours are the agent's: anything else of theirs on
/// its bridges is removed.
///
/// When an endpoint leaves a service (deleted, unlabelled, failing its health check), the
/// connections the host's tables sent it (here, and at an edge this host carries) are deleted
/// from conntrack after the tables changed, so a
/// UDP flow is balanced again at its next packet instead of being sent to the gone endpoint until
/// its entry times out (kube-proxy's long-standing bug). The agent remembers what its table
/// balanced since it started.
///
/// A host without services costs nothing once a pass has found nothing of them left (the agent's
/// first pass always looks, to clear what an earlier run left).
public struct LoadBalancerManager: ReconcileManager {
    public let concern = "services"
    /// The priority of the agent's `iif` rules; the tables are `tableBase` + the bridge's zone.
    static let rulePriority = 10_000
    static let tableBase = 100_000
    /// The prefix of routers' namespaces, where edge instances balance external services.
    let namespacePrefix: String
    private let memory = LoadBalancerMemory()

    public init(namespacePrefix: String = RoutingDomain.defaultNamespacePrefix) {
        self.namespacePrefix = namespacePrefix
    }

    public func applied(failures: Int) async {
        await memory.finish(clean: failures == 0)
    }

    public func plan(toward desired: HostState, in kernel: any Kernel) async throws -> Plan {
        let host = desired.host.id
        let idle = desired.balancedServices.isEmpty
        guard await memory.start(idle: idle) else { return Plan() }
        let body: String?
        do {
            body = try LoadBalancerRuleset.body(desired)
        } catch {
            var plan = Plan()
            plan.refuse(host, because: error.reason)
            return plan
        }
        let wanted = Self.wanted(desired)
        let present = try await kernel.nftablesTables(in: nil).filter { $0.family == .ip && $0.name == LoadBalancerRuleset.table }
        let rules = try await kernel.rules(in: nil).filter(Self.isOurs)
        var routes: [Route] = []
        for table in Set(rules.map(\.table)).union(wanted.rules.map(\.table)).sorted() {
            routes += try await kernel.routes(table: table, in: nil)
        }
        let bridges = desired.switches.values.map { DeviceName.bridge(vni: $0.vni) }
        let links = Set(try await kernel.links(in: nil).map(\.name))
        let neighbours = try await kernel.neighbours(devices: bridges.filter(links.contains).sorted(), in: nil)
        let candidates = await memory.hairpinCandidates(all: desired.ports.keys.map(DeviceName.port)).union(wanted.hairpin)
        let hairpin = try await kernel.hairpinPorts(among: candidates.filter(links.contains).sorted(), in: nil)
        await memory.remember(hairpin: wanted.hairpin)
        let forwarding = Set(wanted.rules.map(\.device)).sorted().map(Self.forwardingKey)
        let sysctls = try await kernel.sysctls(forwarding + PolicyManager.bridgeNetfilter, in: nil)

        // Each bridge's steps go under the bridge's name, each port's under its device: one that
        // fails holds back only its own.
        var plan = Plan()
        if body != nil {
            for key in PolicyManager.bridgeNetfilter where sysctls[key] != "1" {
                plan.append(.setSysctl(key: key, value: "1", namespace: nil), for: host)
            }
        }
        for rule in wanted.rules.sorted(by: Self.order) where links.contains(rule.device) && sysctls[Self.forwardingKey(rule.device)] != "1" {
            plan.append(.setSysctl(key: Self.forwardingKey(rule.device), value: "1", namespace: nil), for: rule.device)
        }
        for rule in Set(rules).subtracting(wanted.rules).sorted(by: Self.order) { plan.append(.deleteRule(rule, namespace: nil), for: rule.device) }
        for rule in wanted.rules.subtracting(rules).sorted(by: Self.order) { plan.append(.addRule(rule, namespace: nil), for: rule.device) }
        for route in Set(routes).subtracting(wanted.routes).sorted(by: { $0.device < $1.device }) {
            plan.append(.deleteRoute(route, namespace: nil), for: route.device)
        }
        for route in wanted.routes.subtracting(routes).sorted(by: { $0.device < $1.device }) where links.contains(route.device) {
            plan.append(.addRoute(route, namespace: nil), for: route.device)
        }
        let observed = Set(neighbours.map { Neighbour(ip: $0.ip, mac: $0.mac.lowercased(), device: $0.device) })
        for entry in observed.subtracting(wanted.neighbours).sorted(by: Self.order) {
            plan.append(.deleteNeighbour(entry, namespace: nil), for: entry.device)
        }
        for entry in wanted.neighbours.subtracting(observed).sorted(by: Self.order) where links.contains(entry.device) {
            plan.append(.addNeighbour(entry, namespace: nil), for: entry.device)
        }
        for port in hairpin.subtracting(wanted.hairpin).sorted() { plan.append(.setLink(name: port, LinkChange(hairpin: false), namespace: nil), for: port) }
        for port in wanted.hairpin.subtracting(hairpin).sorted() where links.contains(port) {
            plan.append(.setLink(name: port, LinkChange(hairpin: true), namespace: nil), for: port)
        }
        if let body {
            let table = NftablesTable.identifying(body, family: .ip, name: LoadBalancerRuleset.table)
            if present != [table] { plan.append(.replaceNftablesTable(table, ruleset: body, namespace: nil), for: host) }
        } else {
            for table in present { plan.append(.deleteNftablesTable(table, namespace: nil), for: host) }
        }
        let gone = await memory.balanced(now: Self.balanced(desired, namespacePrefix: namespacePrefix))
        // An edge that moved away may have taken its router's namespace with it.
        let namespaces = gone.contains { $0.namespace != nil } ? Set(try await kernel.namespaces()) : []
        for flow in gone.sorted() where flow.namespace.map(namespaces.contains) ?? true {
            plan.append(.deleteConnections(flow.filter, namespace: flow.namespace), for: host)
        }
        return plan
    }

    /// What the host's services need besides the table.
    struct Wanted {
        var rules: Set<RoutingRule> = []
        var routes: Set<Route> = []
        var neighbours: Set<Neighbour> = []
        /// Host ends of local endpoints' ports.
        var hairpin: Set<String> = []
    }

    static func wanted(_ desired: HostState) -> Wanted {
        var wanted = Wanted()
        let zones = Dictionary(PolicyRuleset.bridgeZones(desired).map { ($0.bridge, $0.zone) }, uniquingKeysWith: { first, _ in first })
        for service in desired.balancedServices.values {
            for client in LoadBalancerRuleset.clientBridges(of: service, in: desired) {
                guard let zone = zones[client.bridge] else { continue }
                let table = tableBase + zone
                wanted.rules.insert(RoutingRule(device: client.bridge, table: table, priority: rulePriority))
                wanted.routes.insert(Route(destination: "0.0.0.0/0", device: client.bridge, table: table))
                for endpoint in service.endpoints {
                    let mac = endpoint.switch == client.switch ? endpoint.mac : client.gatewayMAC
                    wanted.neighbours.insert(Neighbour(ip: endpoint.ip, mac: mac.lowercased(), device: client.bridge))
                }
            }
            for endpoint in service.endpoints where desired.ports[endpoint.port] != nil {
                wanted.hairpin.insert(DeviceName.port(endpoint.port))
            }
        }
        return wanted
    }

    /// Each VIP and external address with each endpoint it sends connections to, where the host
    /// tracks them: the bridges' zones in the agent's namespace, and the router's namespace for
    /// connections from the uplink of an edge this host carries.
    static func balanced(_ desired: HostState, namespacePrefix: String) -> Set<BalancedFlow> {
        var flows: Set<BalancedFlow> = []
        for service in desired.balancedServices.values {
            for endpoint in service.endpoints {
                if let vip = service.vip {
                    flows.insert(BalancedFlow(namespace: nil, filter: ConnectionFilter(originalDestination: vip, replySource: endpoint.ip)))
                }
                guard let external = service.externalIp else { continue }
                let filter = ConnectionFilter(originalDestination: external, replySource: endpoint.ip)
                flows.insert(BalancedFlow(namespace: nil, filter: filter))
                if desired.edgeRouters[service.router] != nil {
                    flows.insert(BalancedFlow(namespace: namespacePrefix + service.router, filter: filter))
                }
            }
        }
        return flows
    }

    static func isOurs(_ rule: RoutingRule) -> Bool {
        rule.priority == rulePriority && rule.table > tableBase && rule.device.hasPrefix(DeviceName.bridgePrefix)
    }

    static func forwardingKey(_ bridge: String) -> String { "net.ipv4.conf.\(bridge).forwarding" }

    private static func order(_ a: RoutingRule, _ b: RoutingRule) -> Bool { (a.device, a.table) < (b.device, b.table) }

    private static func order(_ a: Neighbour, _ b: Neighbour) -> Bool { (a.device, a.ip) < (b.device, b.ip) }
}

/// Connections to a service address that an endpoint answers, tracked in one namespace (nil: the agent's).
struct BalancedFlow: Hashable, Comparable, Sendable {
    var namespace: String?
    var filter: ConnectionFilter

    static func < (a: BalancedFlow, b: BalancedFlow) -> Bool {
        (a.namespace ?? "", a.filter.originalDestination, a.filter.replySource) < (b.namespace ?? "", b.filter.originalDestination, b.filter.replySource)
    }
}

/// What the load balancer's passes carry over: whether the last one left nothing of services
/// behind, and which ports it gave hairpin mode (nil until a first pass has read every port).
actor LoadBalancerMemory {
    private var idle = false
    private var pendingIdle = false
    private var hairpin: Set<String>?
    private var balanced: Set<BalancedFlow> = []

    /// Whether this pass must plan: not when it has no services and the last clean pass had none.
    func start(idle wantsIdle: Bool) -> Bool {
        pendingIdle = wantsIdle
        return !(wantsIdle && idle)
    }

    func finish(clean: Bool) {
        idle = pendingIdle && clean
        if !clean { hairpin = nil }
    }

    /// The ports whose hairpin mode the pass reads: all of them the first time, after that those it set.
    func hairpinCandidates(all: [String]) -> Set<String> {
        hairpin ?? Set(all)
    }

    func remember(hairpin ports: Set<String>) {
        hairpin = ports
    }

    /// Records what the table balances now; returns what it balanced before and no longer does.
    func balanced(now: Set<BalancedFlow>) -> Set<BalancedFlow> {
        defer { balanced = now }
        return balanced.subtracting(now)
    }
}
