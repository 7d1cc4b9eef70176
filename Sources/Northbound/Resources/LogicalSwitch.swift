/// One L2 broadcast domain, carried between hosts as one VXLAN VNI.
public struct LogicalSwitch: Codable, Equatable, Sendable {
    public var id: String
    public var tenant: String
    public var project: String?
    public var name: String
    public var cidr: String
    public var gateway: String
    public var cidr6: String?
    public var gateway6: String?
    public var mtu: Int
    public var vni: Int
    public var labels: [String: String]
    public var revision: Int64

    /// The most a switch asks for by default: what VXLAN carries over a 9000-byte underlay. Each host
    /// runs a switch at no more than its own underlay MTU − 50 (1450 on a 1500-byte underlay).
    public static let defaultMTU = 8950
    public static let vniRange = 1...16_777_215

    public init(id: String, tenant: String, project: String? = nil, name: String, cidr: String, gateway: String, cidr6: String? = nil, gateway6: String? = nil, mtu: Int, vni: Int, labels: [String: String], revision: Int64) {
        self.id = id
        self.tenant = tenant
        self.project = project
        self.name = name
        self.cidr = cidr
        self.gateway = gateway
        self.cidr6 = cidr6
        self.gateway6 = gateway6
        self.mtu = mtu
        self.vni = vni
        self.labels = labels
        self.revision = revision
    }
}

public struct LogicalSwitchCreate: Codable, Sendable {
    public var tenant: String?
    public var project: String?
    public var name: String
    public var cidr: String
    public var gateway: String?
    public var cidr6: String?
    public var gateway6: String?
    public var mtu: Int?
    public var labels: [String: String]?

    public init(tenant: String? = nil, project: String? = nil, name: String, cidr: String, gateway: String? = nil,
                cidr6: String? = nil, gateway6: String? = nil, mtu: Int? = nil, labels: [String: String]? = nil) {
        self.tenant = tenant
        self.project = project
        self.name = name
        self.cidr = cidr
        self.gateway = gateway
        self.cidr6 = cidr6
        self.gateway6 = gateway6
        self.mtu = mtu
        self.labels = labels
    }

    /// The subnets and gateways after validation: the gateway defaults to the first host address.
    public struct Addressing: Sendable {
        public var network: IPv4Network
        public var gateway: IPv4Address
        public var network6: IPv6Network?
        public var gateway6: IPv6Address?
        public var mtu: Int
    }

    public func validatedAddressing() throws -> Addressing {
        let network = try Validate.ipv4Network(cidr, field: "cidr", prefix: 8...30)
        let gateway = try gateway.map { try Validate.ipv4($0, field: "gateway") } ?? network.firstHost
        guard network.containsHost(gateway) else {
            throw ModelError(.ipOutOfRange, field: "gateway", "gateway \(gateway) is not a host address of \(network)")
        }
        var network6: IPv6Network?
        var gateway6: IPv6Address?
        if let cidr6 {
            let parsed = try Validate.ipv6Network(cidr6, field: "cidr6", prefix: 48...120)
            let gw = try self.gateway6.map { try Validate.ipv6($0, field: "gateway6") } ?? parsed.address.adding(1)
            guard parsed.contains(gw), gw != parsed.address else {
                throw ModelError(.ipOutOfRange, field: "gateway6", "gateway6 \(gw) is not a host address of \(parsed)")
            }
            network6 = parsed
            gateway6 = gw
        } else if self.gateway6 != nil {
            throw ModelError(.invalidValue, field: "gateway6", "gateway6 needs cidr6")
        }
        let mtu = try Validate.range(mtu ?? LogicalSwitch.defaultMTU, (network6 == nil ? 576 : 1280)...9000, field: "mtu")
        return Addressing(network: network, gateway: gateway, network6: network6, gateway6: gateway6, mtu: mtu)
    }
}

public struct LogicalSwitchUpdate: Codable, Sendable {
    public var mtu: Int?
    public var labels: [String: String]?

    public init(mtu: Int? = nil, labels: [String: String]? = nil) {
        self.mtu = mtu
        self.labels = labels
    }
}
