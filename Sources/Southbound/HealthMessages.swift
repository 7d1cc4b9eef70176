/// Endpoint health on the session. Health is status, not desired state: it changes without a
/// revision, so it has messages of its own. The agent of an endpoint's host reports what its checks
/// found (everything once when a session opens, then each change); the controller tells every
/// client host which endpoints of its services are out.
public struct EndpointHealthReport: Codable, Equatable, Sendable {
    /// true: these are all of the host's checked endpoints (a session just opened), so any the
    /// controller held for the host and that is missing here is no longer checked.
    public var complete: Bool
    public var endpoints: [EndpointHealth]

    public init(complete: Bool, endpoints: [EndpointHealth]) {
        self.complete = complete
        self.endpoints = endpoints
    }
}

/// One endpoint's verdict: a service's port (the port id) and what its last check said.
public struct EndpointHealth: Codable, Equatable, Hashable, Sendable {
    public var service: String
    public var port: String
    public var healthy: Bool
    /// Seconds since 1970.
    public var checkedAt: Double
    /// The HTTP status line, the program's output (at most 4 KiB) or why the check failed.
    public var output: String

    public init(service: String, port: String, healthy: Bool, checkedAt: Double, output: String) {
        self.service = service
        self.port = port
        self.healthy = healthy
        self.checkedAt = checkedAt
        self.output = output
    }

    /// The most output a report carries per endpoint.
    public static let maximumOutput = 4_096
}

/// The endpoints of the host's services that take no connections now, by service id: the
/// whole set each time it changes for the host (it is small), so a message is never a diff.
public struct ServiceHealth: Codable, Equatable, Sendable {
    public var unhealthy: [String: [String]]

    public init(unhealthy: [String: [String]]) {
        self.unhealthy = unhealthy
    }
}
