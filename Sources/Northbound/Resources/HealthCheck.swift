/// How each endpoint of a service is checked, by the agent of the endpoint's host.
///
/// `tcp` connects to the endpoint's port; `http` sends `GET path` and passes on a 2xx (or
/// `expectStatus`); `script` runs `command` on the host with the endpoint's address and port in its
/// environment (`SWITCHYARD_ENDPOINT_IP`, `SWITCHYARD_ENDPOINT_PORT`); `container` runs `command`
/// inside the endpoint's own network namespace. Both pass on exit 0, run without a shell as an
/// unprivileged user, only where the agent runs with `--enable-script-checks`, and only an admin
/// sets them. An endpoint leaves the load balancing after `fall` failed checks in a row and comes
/// back after `rise` passed ones.
public struct HealthCheck: Codable, Equatable, Sendable {
    public var type: HealthCheckType
    /// The endpoints' port to check; the first service port's target port when absent.
    public var port: Int?
    /// For `http`: the path, `/` by default.
    public var path: String?
    /// For `http`: the one status that passes; any 2xx when absent.
    public var expectStatus: Int?
    /// For `script` and `container`: the program and its arguments.
    public var command: [String]?
    /// Seconds between checks (1 to 3600, default 5), seconds a check may take (1 to 60, default 2).
    public var interval: Int?
    public var timeout: Int?
    /// Checks in a row that bring an endpoint back (default 2) or take it out (default 3), 1 to 10.
    public var rise: Int?
    public var fall: Int?

    public init(type: HealthCheckType, port: Int? = nil, path: String? = nil, expectStatus: Int? = nil, command: [String]? = nil,
                interval: Int? = nil, timeout: Int? = nil, rise: Int? = nil, fall: Int? = nil) {
        self.type = type
        self.port = port
        self.path = path
        self.expectStatus = expectStatus
        self.command = command
        self.interval = interval
        self.timeout = timeout
        self.rise = rise
        self.fall = fall
    }

    public static let defaultInterval = 5, defaultTimeout = 2, defaultRise = 2, defaultFall = 3

    /// Whether the check runs a program on the host: only admins set those.
    public var runsCommands: Bool { type == .script || type == .container }
}

public enum HealthCheckType: String, Codable, Sendable, CaseIterable {
    case tcp, http, script, container
}

/// An endpoint's health as the controller last heard it from the endpoint's host.
public struct EndpointHealthView: Codable, Equatable, Sendable {
    public var healthy: Bool
    /// When the check ran, in seconds since 1970.
    public var checkedAt: Double
    /// What the check said: the HTTP status line, the program's output (at most 4 KiB), or why it failed.
    public var output: String

    public init(healthy: Bool, checkedAt: Double, output: String) {
        self.healthy = healthy
        self.checkedAt = checkedAt
        self.output = output
    }
}
