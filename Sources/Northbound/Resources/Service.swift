/// A load-balanced service: a virtual address (VIP) in a router's domain whose ports spread
/// connections over the ports its selector picks (the endpoints), on every host with a client.
public struct Service: Codable, Equatable, Sendable {
    public var id: String
    public var tenant: String
    public var project: String?
    public var name: String
    /// The router whose switches' workloads reach the VIP; endpoints are ports of its switches.
    public var router: String
    /// Nil (absent) for a headless service.
    public var vip: String?
    public var type: ServiceType
    /// An external service's address from the pool of the router's external network, served at
    /// the router's edge; nil for an internal one.
    public var externalIp: String?
    public var ports: [ServicePort]
    public var selector: ServiceSelector
    public var algorithm: ServiceAlgorithm
    /// How the endpoints' hosts check them; without one every endpoint takes connections.
    public var healthCheck: HealthCheck?
    public var labels: [String: String]
    public var revision: Int64
    /// Whether every host running the router has realized this revision; filled in by the controller.
    public var status: RealizationStatus?

    public init(id: String, tenant: String, project: String?, name: String, router: String, vip: String?, type: ServiceType = .internal,
                externalIp: String? = nil, ports: [ServicePort], selector: ServiceSelector, algorithm: ServiceAlgorithm,
                healthCheck: HealthCheck? = nil, labels: [String: String], revision: Int64, status: RealizationStatus? = nil) {
        self.id = id
        self.tenant = tenant
        self.project = project
        self.name = name
        self.router = router
        self.vip = vip
        self.type = type
        self.externalIp = externalIp
        self.ports = ports
        self.selector = selector
        self.algorithm = algorithm
        self.healthCheck = healthCheck
        self.labels = labels
        self.revision = revision
        self.status = status
    }
}

public enum ServiceAlgorithm: String, Codable, Sendable, CaseIterable {
    case random
    case roundRobin = "round-robin"
    case sourceHash = "source-hash"
}

/// Who reaches a service, and how: `internal`, the workloads of its router's switches on the VIP;
/// `external`, also the external network on an address of its pool, at the router's edge;
/// `headless`, no VIP and no balancing: its DNS name answers with the addresses of its healthy
/// endpoints (Kubernetes' headless services), for clients that pick an instance themselves.
public enum ServiceType: String, Codable, Sendable, CaseIterable {
    case `internal`, external, headless
}

public enum ServiceProtocol: String, Codable, Sendable, CaseIterable {
    case tcp, udp
}

/// One port of the VIP and the port of the endpoints it goes to.
public struct ServicePort: Codable, Equatable, Hashable, Sendable {
    public var name: String?
    public var `protocol`: ServiceProtocol
    public var port: Int
    /// The endpoints' port; `port` when absent.
    public var targetPort: Int?

    public init(name: String? = nil, protocol: ServiceProtocol, port: Int, targetPort: Int? = nil) {
        self.name = name
        self.protocol = `protocol`
        self.port = port
        self.targetPort = targetPort
    }
}

/// Which of the tenant's ports on the router's switches are endpoints: those carrying every label,
/// in the project and the cluster when given (ids).
public struct ServiceSelector: Codable, Equatable, Sendable {
    public var labels: [String: String]?
    public var project: String?
    public var cluster: String?

    public init(labels: [String: String]? = nil, project: String? = nil, cluster: String? = nil) {
        self.labels = labels
        self.project = project
        self.cluster = cluster
    }

    /// Whether `port` (already known to be on one of the router's switches) is an endpoint.
    public func selects(_ port: Port, tenant: String) -> Bool {
        port.tenant == tenant && (project == nil || port.project == project) && (cluster == nil || port.cluster == cluster)
            && (labels ?? [:]).allSatisfy { port.labels[$0.key] == $0.value }
    }
}

public struct ServiceCreate: Codable, Sendable {
    public var tenant: String?
    public var project: String?
    public var name: String
    public var router: String
    /// Allocated from the service range when absent; a headless service has none.
    public var vip: String?
    /// `external` when absent and `externalIp` is given, else `internal`.
    public var type: ServiceType?
    /// For an external service: the address wanted from the router's external pool; the first free one when absent.
    public var externalIp: String?
    public var ports: [ServicePort]
    public var selector: ServiceSelector?
    public var algorithm: ServiceAlgorithm?
    public var healthCheck: HealthCheck?
    public var labels: [String: String]?

    public init(tenant: String? = nil, project: String? = nil, name: String, router: String, vip: String? = nil, type: ServiceType? = nil,
                externalIp: String? = nil, ports: [ServicePort], selector: ServiceSelector? = nil, algorithm: ServiceAlgorithm? = nil,
                healthCheck: HealthCheck? = nil, labels: [String: String]? = nil) {
        self.tenant = tenant
        self.project = project
        self.name = name
        self.router = router
        self.vip = vip
        self.type = type
        self.externalIp = externalIp
        self.ports = ports
        self.selector = selector
        self.algorithm = algorithm
        self.healthCheck = healthCheck
        self.labels = labels
    }
}

/// The VIP, router, type and external address stay; ports, selector, algorithm, health check and labels are replaced when
/// given (`healthCheck: null` removes the check).
public struct ServiceUpdate: Codable, Sendable {
    public var ports: [ServicePort]?
    public var selector: ServiceSelector?
    public var algorithm: ServiceAlgorithm?
    public var healthCheck: HealthCheck?
    public var labels: [String: String]?

    public init(ports: [ServicePort]? = nil, selector: ServiceSelector? = nil, algorithm: ServiceAlgorithm? = nil,
                healthCheck: HealthCheck? = nil, labels: [String: String]? = nil) {
        self.ports = ports
        self.selector = selector
        self.algorithm = algorithm
        self.healthCheck = healthCheck
        self.labels = labels
    }
}

/// One endpoint of a service as `GET /v1/services/{id}/endpoints` lists it.
public struct ServiceEndpoint: Codable, Equatable, Sendable {
    public var port: String
    public var name: String
    public var ip: String
    public var `switch`: String
    /// The host the port is bound to; an unbound port takes no connections.
    public var host: String?
    /// The last check's verdict as its host reported it; absent without a health check, or
    /// before the host's first report (the endpoint then takes connections).
    public var health: EndpointHealthView?

    public init(port: String, name: String, ip: String, switch: String, host: String?, health: EndpointHealthView? = nil) {
        self.port = port
        self.name = name
        self.ip = ip
        self.switch = `switch`
        self.host = host
        self.health = health
    }
}

/// `GET /v1/services/{id}/endpoints`.
public struct ServiceEndpoints: Codable, Equatable, Sendable {
    public var items: [ServiceEndpoint]

    public init(items: [ServiceEndpoint]) { self.items = items }
}

extension Service {
    /// Where VIPs come from when a create names none: the first free address of this range that is
    /// on none of the router's switches. VIPs are only ever seen inside the router's domain.
    public static let defaultRange = IPv4Network("10.96.0.0/16")!

    /// At most this many ports per service and label selectors per service.
    public static let maximumPorts = 64

    /// The service's endpoints among `ports` (the ports of the router's switches), sorted by address.
    public func endpoints(among ports: [Port]) -> [Port] {
        ports.filter { $0.host != nil && selector.selects($0, tenant: tenant) }
            .sorted { (IPv4Address($0.ip)?.value ?? 0, $0.id) < (IPv4Address($1.ip)?.value ?? 0, $1.id) }
    }
}
