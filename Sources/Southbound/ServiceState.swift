/// A load-balanced service as one client host realizes it: connections from the router's switches
/// on this host to `vip` and one of `ports` go to one of `endpoints`, chosen once per connection.
/// The same value goes to every host with a client; each balances locally.
public struct ServiceState: Codable, Equatable, Sendable {
    /// Nil (absent on the wire) for a headless service: nothing is balanced, its endpoints are
    /// still checked, and its DNS name answers with the healthy ones.
    public var vip: String?
    /// The router whose switches' workloads are the clients.
    public var router: String
    public var ports: [ServicePortState]
    public var algorithm: ServiceAlgorithm
    /// The endpoints that take connections, sorted by address; empty: connections are dropped.
    public var endpoints: [ServiceEndpointState]
    /// How the endpoints' own hosts check them; nil (absent on the wire) when they are not checked.
    public var healthCheck: HealthCheckState?
    /// An external service's address on the router's external network: the router's edge host
    /// balances connections to it from the uplink. Nil (absent on the wire) for an internal one.
    public var externalIp: String?

    public init(vip: String?, router: String, ports: [ServicePortState], algorithm: ServiceAlgorithm,
                endpoints: [ServiceEndpointState], healthCheck: HealthCheckState? = nil, externalIp: String? = nil) {
        self.vip = vip
        self.router = router
        self.ports = ports
        self.algorithm = algorithm
        self.endpoints = endpoints
        self.healthCheck = healthCheck
        self.externalIp = externalIp
    }
}

public enum ServiceAlgorithm: String, Codable, Sendable, CaseIterable {
    case random
    case roundRobin = "round-robin"
    /// By a hash of the client's address: a client stays on one endpoint while the set is unchanged.
    case sourceHash = "source-hash"
}

public struct ServicePortState: Codable, Equatable, Hashable, Sendable {
    /// `tcp` or `udp`.
    public var `protocol`: String
    public var port: Int
    public var targetPort: Int

    public init(protocol: String, port: Int, targetPort: Int) {
        self.protocol = `protocol`
        self.port = port
        self.targetPort = targetPort
    }
}

/// An endpoint: a port of one of the router's switches.
public struct ServiceEndpointState: Codable, Equatable, Hashable, Sendable {
    /// The port's id.
    public var port: String
    public var ip: String
    public var mac: String
    public var `switch`: String

    public init(port: String, ip: String, mac: String, switch: String) {
        self.port = port
        self.ip = ip
        self.mac = mac
        self.switch = `switch`
    }
}

/// A service's health check with every default filled in.
public struct HealthCheckState: Codable, Equatable, Hashable, Sendable {
    /// `tcp`, `http`, `script` or `container`.
    public var type: String
    public var port: Int
    public var path: String?
    public var expectStatus: Int?
    public var command: [String]?
    public var interval: Int
    public var timeout: Int
    public var rise: Int
    public var fall: Int

    public init(type: String, port: Int, path: String? = nil, expectStatus: Int? = nil, command: [String]? = nil, interval: Int,
                timeout: Int, rise: Int, fall: Int) {
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
}
