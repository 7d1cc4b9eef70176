/// The provider or corporate network, reached through edge hosts; its pool feeds SNAT and floating IPs.
public struct ExternalNetwork: Codable, Equatable, Sendable {
    public var id: String
    public var name: String
    public var cidr: String
    public var gateway: String
    public var poolStart: String
    public var poolEnd: String
    /// The resolvers of this network (a corporate DNS): the hosts forward the names outside
    /// `switchyard.internal` that the workloads of its routers ask for to them, in order.
    public var dnsServers: [String]
    public var labels: [String: String]
    public var revision: Int64

    public init(id: String, name: String, cidr: String, gateway: String, poolStart: String, poolEnd: String, dnsServers: [String] = [],
                labels: [String: String], revision: Int64) {
        self.id = id
        self.name = name
        self.cidr = cidr
        self.gateway = gateway
        self.poolStart = poolStart
        self.poolEnd = poolEnd
        self.dnsServers = dnsServers
        self.labels = labels
        self.revision = revision
    }

    /// At most this many resolvers, as many as a resolv.conf uses.
    public static let maximumDNSServers = 3

    /// `servers` as IPv4 addresses, none twice, at most ``maximumDNSServers``.
    public static func validatedDNSServers(_ servers: [String]) throws -> [String] {
        guard servers.count <= maximumDNSServers else {
            throw ModelError(.invalidValue, field: "dnsServers", "at most \(maximumDNSServers) resolvers")
        }
        let addresses = try servers.map { try Validate.ipv4($0, field: "dnsServers").description }
        guard Set(addresses).count == addresses.count else {
            throw ModelError(.invalidValue, field: "dnsServers", "a resolver is listed twice")
        }
        return addresses
    }
}

public struct ExternalNetworkCreate: Codable, Sendable {
    public var name: String
    public var cidr: String
    public var gateway: String?
    public var poolStart: String?
    public var poolEnd: String?
    public var dnsServers: [String]?
    public var labels: [String: String]?

    public struct Addressing: Sendable {
        public var network: IPv4Network
        public var gateway: IPv4Address
        public var pool: ClosedRange<IPv4Address>
    }

    /// The gateway defaults to the first host address; the pool to every other host address.
    public func validatedAddressing() throws -> Addressing {
        let network = try Validate.ipv4Network(cidr, field: "cidr", prefix: 8...30)
        let gateway = try gateway.map { try Validate.ipv4($0, field: "gateway") } ?? network.firstHost
        guard network.containsHost(gateway) else {
            throw ModelError(.ipOutOfRange, field: "gateway", "gateway \(gateway) is not a host address of \(network)")
        }
        let start = try poolStart.map { try Validate.ipv4($0, field: "poolStart") }
            ?? (gateway == network.firstHost ? IPv4Address(gateway.value + 1) : network.firstHost)
        let end = try poolEnd.map { try Validate.ipv4($0, field: "poolEnd") } ?? network.lastHost
        for (address, field) in [(start, "poolStart"), (end, "poolEnd")] where !network.containsHost(address) {
            throw ModelError(.ipOutOfRange, field: field, "\(address) is not a host address of \(network)")
        }
        guard start <= end else { throw ModelError(.invalidValue, field: "poolEnd", "poolEnd is below poolStart") }
        guard !(start...end).contains(gateway) else {
            throw ModelError(.invalidValue, field: "poolStart", "the pool may not contain the gateway \(gateway)")
        }
        return Addressing(network: network, gateway: gateway, pool: start...end)
    }

    public init(name: String, cidr: String, gateway: String? = nil, poolStart: String? = nil, poolEnd: String? = nil, dnsServers: [String]? = nil,
                labels: [String: String]? = nil) {
        self.name = name
        self.cidr = cidr
        self.gateway = gateway
        self.poolStart = poolStart
        self.poolEnd = poolEnd
        self.dnsServers = dnsServers
        self.labels = labels
    }
}

/// Resolvers and labels are replaced when given; the addressing stays.
public struct ExternalNetworkUpdate: Codable, Sendable {
    public var dnsServers: [String]?
    public var labels: [String: String]?

    public init(dnsServers: [String]? = nil, labels: [String: String]? = nil) {
        self.dnsServers = dnsServers
        self.labels = labels
    }
}
