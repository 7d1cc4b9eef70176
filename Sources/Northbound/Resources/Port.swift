/// An attachment of a workload (container, pod, VM NIC) to a logical switch.
public struct Port: Codable, Equatable, Sendable {
    public var id: String
    public var tenant: String
    public var project: String?
    public var `switch`: String
    public var name: String
    public var mac: String
    public var ip: String
    public var ip6: String?
    public var host: String?
    /// The cluster the port's workload belongs to, of the port's tenant.
    public var cluster: String?
    public var labels: [String: String]
    /// The container runtime attachment that created the port, for ports a host's runtime asked
    /// for (CNI, Docker); absent for ports created through the API.
    public var owner: PortOwner?
    public var revision: Int64

    /// Whether the hosts that hold this port have realized it; filled in by the controller.
    public var status: RealizationStatus?

    public init(id: String, tenant: String, project: String? = nil, switch: String, name: String, mac: String, ip: String, ip6: String? = nil, host: String? = nil, cluster: String? = nil, labels: [String: String], owner: PortOwner? = nil, revision: Int64,
                status: RealizationStatus? = nil) {
        self.id = id
        self.tenant = tenant
        self.project = project
        self.switch = `switch`
        self.name = name
        self.mac = mac
        self.ip = ip
        self.ip6 = ip6
        self.host = host
        self.cluster = cluster
        self.labels = labels
        self.owner = owner
        self.revision = revision
        self.status = status
    }
}

public struct PortCreate: Codable, Sendable {
    public var `switch`: String
    public var name: String
    public var mac: String?
    public var ip: String?
    public var ip6: String?
    public var host: String?
    public var cluster: String?
    public var labels: [String: String]?

    public init(switch: String, name: String, mac: String? = nil, ip: String? = nil, ip6: String? = nil,
                host: String? = nil, cluster: String? = nil, labels: [String: String]? = nil) {
        self.switch = `switch`
        self.name = name
        self.mac = mac
        self.ip = ip
        self.ip6 = ip6
        self.host = host
        self.cluster = cluster
        self.labels = labels
    }
}

/// `host: null` unbinds the port from its host.
public struct PortUpdate: Codable, Sendable {
    public var host: String?
    /// A cluster of the port's tenant; null takes the port out of its cluster.
    public var cluster: String?
    public var labels: [String: String]?

    public init(host: String? = nil, cluster: String? = nil, labels: [String: String]? = nil) {
        self.host = host
        self.cluster = cluster
        self.labels = labels
    }
}
