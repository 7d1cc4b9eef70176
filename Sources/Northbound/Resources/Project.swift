/// A team's space inside a tenant.
public struct Project: Codable, Equatable, Sendable {
    public var id: String
    public var tenant: String
    public var name: String
    public var labels: [String: String]
    public var revision: Int64

    public init(id: String, tenant: String, name: String, labels: [String: String], revision: Int64) {
        self.id = id
        self.tenant = tenant
        self.name = name
        self.labels = labels
        self.revision = revision
    }
}

public struct ProjectCreate: Codable, Sendable {
    public var tenant: String?
    public var name: String
    public var labels: [String: String]?

    public init(tenant: String? = nil, name: String, labels: [String: String]? = nil) {
        self.tenant = tenant
        self.name = name
        self.labels = labels
    }
}

public struct ProjectUpdate: Codable, Sendable {
    public var labels: [String: String]?

    public init(labels: [String: String]? = nil) {
        self.labels = labels
    }
}
