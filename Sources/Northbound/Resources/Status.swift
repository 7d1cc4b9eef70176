/// A host agent's connection and what it has realized, as the API shows it on a host.
public struct HostStatus: Codable, Equatable, Sendable {
    public var connected: Bool
    /// When the agent last sent anything, ISO 8601.
    public var lastSeen: String?
    /// Everything up to this revision is realized on the host.
    public var ackedRevision: Int64
    /// Objects the agent could not realize at its last ack.
    public var errors: [RealizationError]
    /// How the agent separates routers' routing tables: `vrf` or `namespace`.
    public var routingDomain: String?

    public init(connected: Bool, lastSeen: String?, ackedRevision: Int64, errors: [RealizationError], routingDomain: String? = nil) {
        self.connected = connected
        self.lastSeen = lastSeen
        self.ackedRevision = ackedRevision
        self.errors = errors
        self.routingDomain = routingDomain
    }
}

public struct RealizationError: Codable, Equatable, Sendable {
    public var object: String
    public var message: String

    public init(object: String, message: String) {
        self.object = object
        self.message = message
    }
}

/// Whether every host that must hold an object has acked a revision at or above the object's.
public struct RealizationStatus: Codable, Equatable, Sendable {
    public var realized: Bool
    public var hosts: [HostRealization]

    public init(realized: Bool, hosts: [HostRealization]) {
        self.realized = realized
        self.hosts = hosts
    }
}

public struct HostRealization: Codable, Equatable, Sendable {
    public var host: String
    public var realized: Bool
    public var ackedRevision: Int64

    public init(host: String, realized: Bool, ackedRevision: Int64) {
        self.host = host
        self.realized = realized
        self.ackedRevision = ackedRevision
    }
}
