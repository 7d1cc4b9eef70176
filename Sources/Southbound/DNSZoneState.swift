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

    public init(provider: String, zone: String, addresses: [String: [String]] = [:], services: [String: [DNSServiceTarget]] = [:]) {
        self.provider = provider
        self.zone = zone
        self.addresses = addresses
        self.services = services
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
