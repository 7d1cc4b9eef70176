/// The whole desired network at one revision, as plain values: the compiler's input.
public struct DesiredState: Equatable, Sendable {
    public var revision: Int64
    public var hosts: [String: Host]
    public var switches: [String: LogicalSwitch]
    public var ports: [String: Port]
    public var routers: [String: LogicalRouter]
    public var interfaces: [String: RouterInterface]
    public var routes: [String: StaticRoute]
    public var externalNetworks: [String: ExternalNetwork]
    public var floatingIPs: [String: FloatingIP]
    /// Tenants, projects and clusters give policies the names they select by.
    public var tenants: [String: Tenant]
    public var projects: [String: Project]
    public var clusters: [String: Cluster]
    public var policies: [String: NetworkPolicy]
    public var services: [String: Service]

    public init(revision: Int64 = 0, hosts: [String: Host] = [:], switches: [String: LogicalSwitch] = [:],
                ports: [String: Port] = [:], routers: [String: LogicalRouter] = [:], interfaces: [String: RouterInterface] = [:],
                routes: [String: StaticRoute] = [:], externalNetworks: [String: ExternalNetwork] = [:],
                floatingIPs: [String: FloatingIP] = [:], tenants: [String: Tenant] = [:], projects: [String: Project] = [:],
                clusters: [String: Cluster] = [:], policies: [String: NetworkPolicy] = [:], services: [String: Service] = [:]) {
        self.revision = revision
        self.hosts = hosts
        self.switches = switches
        self.ports = ports
        self.routers = routers
        self.interfaces = interfaces
        self.routes = routes
        self.externalNetworks = externalNetworks
        self.floatingIPs = floatingIPs
        self.tenants = tenants
        self.projects = projects
        self.clusters = clusters
        self.policies = policies
        self.services = services
    }
}

/// One committed change to the objects the compiler reads.
public enum DesiredChange: Equatable, Sendable {
    case host(id: String, Host?)
    case logicalSwitch(id: String, LogicalSwitch?)
    case port(id: String, Port?)
    case router(id: String, LogicalRouter?)
    case interface(id: String, RouterInterface?)
    case route(id: String, StaticRoute?)
    case externalNetwork(id: String, ExternalNetwork?)
    case floatingIP(id: String, FloatingIP?)
    case tenant(id: String, Tenant?)
    case project(id: String, Project?)
    case cluster(id: String, Cluster?)
    case policy(id: String, NetworkPolicy?)
    case service(id: String, Service?)
}

extension DesiredState {
    /// This state with one change applied (a nil value deletes the object).
    public mutating func apply(_ change: DesiredChange) {
        switch change {
        case .host(let id, let value): hosts[id] = value
        case .logicalSwitch(let id, let value): switches[id] = value
        case .port(let id, let value): ports[id] = value
        case .router(let id, let value): routers[id] = value
        case .interface(let id, let value): interfaces[id] = value
        case .route(let id, let value): routes[id] = value
        case .externalNetwork(let id, let value): externalNetworks[id] = value
        case .floatingIP(let id, let value): floatingIPs[id] = value
        case .tenant(let id, let value): tenants[id] = value
        case .project(let id, let value): projects[id] = value
        case .cluster(let id, let value): clusters[id] = value
        case .policy(let id, let value): policies[id] = value
        case .service(let id, let value): services[id] = value
        }
    }
}
