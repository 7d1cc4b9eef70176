/// A hypervisor running the agent.
public struct Host: Codable, Equatable, Sendable {
    public var id: String
    public var name: String
    /// The underlay (VTEP) address.
    public var address: String
    public var role: HostRole
    public var labels: [String: String]
    public var revision: Int64
    /// False while the controller has lost the host's agent (edge hosts: their router uplinks have
    /// moved to other edge hosts). Set by the controller, not through the API.
    public var available: Bool

    /// The agent's connection and acks; filled in by the controller, absent in the store.
    public var status: HostStatus?

    public init(id: String, name: String, address: String, role: HostRole, labels: [String: String], revision: Int64,
                available: Bool = true, status: HostStatus? = nil) {
        self.id = id
        self.name = name
        self.address = address
        self.role = role
        self.labels = labels
        self.revision = revision
        self.available = available
        self.status = status
    }
}

public enum HostRole: String, Codable, Sendable, CaseIterable {
    case compute, edge
}

public struct HostCreate: Codable, Sendable {
    public var name: String
    public var address: String
    public var role: HostRole?
    public var labels: [String: String]?

    public init(name: String, address: String, role: HostRole? = nil, labels: [String: String]? = nil) {
        self.name = name
        self.address = address
        self.role = role
        self.labels = labels
    }
}

public struct HostUpdate: Codable, Sendable {
    public var address: String?
    public var role: HostRole?
    public var labels: [String: String]?

    public init(address: String? = nil, role: HostRole? = nil, labels: [String: String]? = nil) {
        self.address = address
        self.role = role
        self.labels = labels
    }
}
