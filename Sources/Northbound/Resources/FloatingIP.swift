/// An external address mapped 1:1 to a port's address (DNAT in, SNAT out) at the edge.
public struct FloatingIP: Codable, Equatable, Sendable {
    public var id: String
    public var tenant: String
    public var externalNetwork: String
    public var address: String
    public var port: String?
    public var labels: [String: String]
    public var revision: Int64

    public init(id: String, tenant: String, externalNetwork: String, address: String, port: String? = nil, labels: [String: String], revision: Int64) {
        self.id = id
        self.tenant = tenant
        self.externalNetwork = externalNetwork
        self.address = address
        self.port = port
        self.labels = labels
        self.revision = revision
    }
}

public struct FloatingIPCreate: Codable, Sendable {
    public var tenant: String?
    public var externalNetwork: String
    public var address: String?
    public var port: String?
    public var labels: [String: String]?

    public init(tenant: String? = nil, externalNetwork: String, address: String? = nil, port: String? = nil, labels: [String: String]? = nil) {
        self.tenant = tenant
        self.externalNetwork = externalNetwork
        self.address = address
        self.port = port
        self.labels = labels
    }
}

/// `port: null` dissociates the address from its port; the address stays allocated.
public struct FloatingIPUpdate: Codable, Sendable {
    public var port: String?
    public var labels: [String: String]?

    public init(port: String? = nil, labels: [String: String]? = nil) {
        self.port = port
        self.labels = labels
    }
}
