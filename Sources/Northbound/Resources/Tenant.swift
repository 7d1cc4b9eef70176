/// The isolation and quota boundary.
public struct Tenant: Codable, Equatable, Sendable {
    public var id: String
    public var name: String
    public var quotas: Quotas
    public var labels: [String: String]
    public var revision: Int64

    public init(id: String, name: String, quotas: Quotas, labels: [String: String], revision: Int64) {
        self.id = id
        self.name = name
        self.quotas = quotas
        self.labels = labels
        self.revision = revision
    }
}

/// How many objects of each kind a tenant may hold, and how many static routes and interfaces
/// each of its routers may have (every one of those reaches every host the router runs on).
public struct Quotas: Codable, Equatable, Sendable {
    public var switches: Int
    public var ports: Int
    public var routers: Int
    public var floatingIps: Int
    public var policies: Int
    public var services: Int
    public var routesPerRouter: Int
    public var interfacesPerRouter: Int
    public var clusters: Int

    public static let defaults = Quotas(switches: 100, ports: 10_000, routers: 50, floatingIps: 100, policies: 1_000, services: 1_000,
                                        routesPerRouter: 100, interfacesPerRouter: 32, clusters: 50)

    public init(switches: Int, ports: Int, routers: Int, floatingIps: Int, policies: Int, services: Int, routesPerRouter: Int,
                interfacesPerRouter: Int, clusters: Int) {
        self.switches = switches
        self.ports = ports
        self.routers = routers
        self.floatingIps = floatingIps
        self.policies = policies
        self.services = services
        self.routesPerRouter = routesPerRouter
        self.interfacesPerRouter = interfacesPerRouter
        self.clusters = clusters
    }

    /// Quotas stored before a kind existed take that kind's default.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = Quotas.defaults
        func value(_ key: CodingKeys, _ fallback: Int) throws -> Int { try container.decodeIfPresent(Int.self, forKey: key) ?? fallback }
        self.init(switches: try value(.switches, defaults.switches), ports: try value(.ports, defaults.ports),
                  routers: try value(.routers, defaults.routers), floatingIps: try value(.floatingIps, defaults.floatingIps),
                  policies: try value(.policies, defaults.policies), services: try value(.services, defaults.services),
                  routesPerRouter: try value(.routesPerRouter, defaults.routesPerRouter),
                  interfacesPerRouter: try value(.interfacesPerRouter, defaults.interfacesPerRouter),
                  clusters: try value(.clusters, defaults.clusters))
    }

    /// These quotas with the limits a request names replaced.
    public func applying(_ limits: QuotaLimits?) throws -> Quotas {
        guard let limits else { return self }
        func check(_ value: Int?, _ current: Int, _ field: String, atMost maximum: Int = 10_000_000) throws -> Int {
            guard let value else { return current }
            return try Validate.range(value, 0...maximum, field: "quotas.\(field)")
        }
        return Quotas(
            switches: try check(limits.switches, switches, "switches"),
            ports: try check(limits.ports, ports, "ports"),
            routers: try check(limits.routers, routers, "routers"),
            floatingIps: try check(limits.floatingIps, floatingIps, "floatingIps"),
            policies: try check(limits.policies, policies, "policies"),
            services: try check(limits.services, services, "services"),
            routesPerRouter: try check(limits.routesPerRouter, routesPerRouter, "routesPerRouter", atMost: Self.maximumPerRouter),
            interfacesPerRouter: try check(limits.interfacesPerRouter, interfacesPerRouter, "interfacesPerRouter", atMost: Self.maximumPerRouter),
            clusters: try check(limits.clusters, clusters, "clusters")
        )
    }

    /// The most routes or interfaces a router may be allowed: each reaches every host the router runs on.
    public static let maximumPerRouter = 1_000
}

/// Quota limits as a request gives them: any subset of the kinds.
public struct QuotaLimits: Codable, Equatable, Sendable {
    public var switches: Int?
    public var ports: Int?
    public var routers: Int?
    public var floatingIps: Int?
    public var policies: Int?
    public var services: Int?
    public var routesPerRouter: Int?
    public var interfacesPerRouter: Int?
    public var clusters: Int?

    public init(switches: Int? = nil, ports: Int? = nil, routers: Int? = nil, floatingIps: Int? = nil, policies: Int? = nil, services: Int? = nil,
                routesPerRouter: Int? = nil, interfacesPerRouter: Int? = nil, clusters: Int? = nil) {
        self.switches = switches
        self.ports = ports
        self.routers = routers
        self.floatingIps = floatingIps
        self.policies = policies
        self.services = services
        self.routesPerRouter = routesPerRouter
        self.interfacesPerRouter = interfacesPerRouter
        self.clusters = clusters
    }
}

public struct TenantCreate: Codable, Sendable {
    public var name: String
    public var quotas: QuotaLimits?
    public var labels: [String: String]?

    public init(name: String, quotas: QuotaLimits? = nil, labels: [String: String]? = nil) {
        self.name = name
        self.quotas = quotas
        self.labels = labels
    }
}

public struct TenantUpdate: Codable, Sendable {
    public var quotas: QuotaLimits?
    public var labels: [String: String]?

    public init(quotas: QuotaLimits? = nil, labels: [String: String]? = nil) {
        self.quotas = quotas
        self.labels = labels
    }
}
