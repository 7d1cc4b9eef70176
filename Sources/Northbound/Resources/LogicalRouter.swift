/// A tenant's logical router: interfaces on switches, static routes, and an optional uplink.
public struct LogicalRouter: Codable, Equatable, Sendable {
    public var id: String
    public var tenant: String
    public var project: String?
    public var name: String
    /// The external network the router's uplink is on, if any.
    public var externalNetwork: String?
    /// Whether the router's subnets are source-NATed to `uplinkIp` on the way out.
    public var snat: Bool
    /// The uplink's address, allocated from the external network's pool.
    public var uplinkIp: String?
    /// The VNI of the segment between the router's instances and its edge instance; allocated by the
    /// controller from the switches' VNI pool.
    public var transitVni: Int
    public var labels: [String: String]
    public var revision: Int64

    /// Whether the hosts that run this router have realized it; filled in by the controller.
    public var status: RealizationStatus?
    /// The edge host running the router's uplink now; filled in by the controller.
    public var edgeHost: String?

    public init(id: String, tenant: String, project: String? = nil, name: String, externalNetwork: String? = nil, snat: Bool, uplinkIp: String? = nil, transitVni: Int, labels: [String: String], revision: Int64,
                status: RealizationStatus? = nil) {
        self.id = id
        self.tenant = tenant
        self.project = project
        self.name = name
        self.externalNetwork = externalNetwork
        self.snat = snat
        self.uplinkIp = uplinkIp
        self.transitVni = transitVni
        self.labels = labels
        self.revision = revision
        self.status = status
    }
}

public struct RouterCreate: Codable, Sendable {
    public var tenant: String?
    public var project: String?
    public var name: String
    public var externalNetwork: String?
    public var snat: Bool?
    public var labels: [String: String]?

    public init(tenant: String? = nil, project: String? = nil, name: String, externalNetwork: String? = nil, snat: Bool? = nil, labels: [String: String]? = nil) {
        self.tenant = tenant
        self.project = project
        self.name = name
        self.externalNetwork = externalNetwork
        self.snat = snat
        self.labels = labels
    }
}

/// `externalNetwork: null` removes the uplink and returns its address to the pool.
public struct RouterUpdate: Codable, Sendable {
    public var externalNetwork: String?
    public var snat: Bool?
    public var labels: [String: String]?

    public init(externalNetwork: String? = nil, snat: Bool? = nil, labels: [String: String]? = nil) {
        self.externalNetwork = externalNetwork
        self.snat = snat
        self.labels = labels
    }
}

/// A router's leg on a switch, holding the switch's gateway address unless another is given.
public struct RouterInterface: Codable, Equatable, Sendable {
    public var id: String
    public var router: String
    public var `switch`: String
    public var ip: String
    public var revision: Int64

    public init(id: String, router: String, switch: String, ip: String, revision: Int64) {
        self.id = id
        self.router = router
        self.switch = `switch`
        self.ip = ip
        self.revision = revision
    }
}

public struct RouterInterfaceCreate: Codable, Sendable {
    public var `switch`: String
    public var ip: String?

    public init(switch: String, ip: String? = nil) {
        self.switch = `switch`
        self.ip = ip
    }
}

/// A static route in a router's routing domain.
public struct StaticRoute: Codable, Equatable, Sendable {
    public var id: String
    public var router: String
    public var destination: String
    public var nexthop: String
    public var revision: Int64

    public init(id: String, router: String, destination: String, nexthop: String, revision: Int64) {
        self.id = id
        self.router = router
        self.destination = destination
        self.nexthop = nexthop
        self.revision = revision
    }
}

public struct StaticRouteCreate: Codable, Sendable {
    public var destination: String
    public var nexthop: String

    public init(destination: String, nexthop: String) {
        self.destination = destination
        self.nexthop = nexthop
    }
}
