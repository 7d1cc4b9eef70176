/// The names the workloads of one router's switches resolve, which the agent serves from the
/// router's namespace on every gateway address of it: the router's services and the ports of its
/// switches, under the tenant's zone.
public struct DNSZoneState: Codable, Equatable, Sendable {
    /// The provider's zone (`switchyard.internal`); names under it that are not the tenant's do not exist.
    public var provider: String
    /// The tenant's zone: `acme.switchyard.internal`.
    public var zone: String
    /// Names relative to `zone` (`web.shop` for a service, `web-1.frontend` for a port) and their IPv4 addresses.
    public var addresses: [String: [String]]
    /// SRV names relative to `zone` (`_http._tcp.web.shop`) and what they point at.
    public var services: [String: [DNSServiceTarget]]
    /// Names relative to `zone` of headless services, and the service each is: the name answers
    /// with the addresses of the service's endpoints that are healthy at the moment (the host
    /// state's `services` carries them). Nil (absent on the wire) when there are none.
    public var headless: [String: String]?
    /// The tenant's resolvers (those of the router's external network) that names outside the
    /// provider's zone are forwarded to, in order; nil (absent on the wire) when there are none.
    public var upstreams: [String]?

    public init(provider: String, zone: String, addresses: [String: [String]] = [:], services: [String: [DNSServiceTarget]] = [:],
                headless: [String: String]? = nil, upstreams: [String]? = nil) {
        self.provider = provider
        self.zone = zone
        self.addresses = addresses
        self.services = services
        self.headless = headless
        self.upstreams = upstreams
    }
}

/// An SRV record's port and target, the target relative to the zone.
public struct DNSServiceTarget: Codable, Equatable, Hashable, Sendable {
    public var port: Int
    public var target: String

    public init(port: Int, target: String) {
        self.port = port
        self.target = target
    }
}
