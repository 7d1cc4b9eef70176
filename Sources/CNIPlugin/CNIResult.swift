/// The spec's success result of ADD (and CHECK's prevResult): the interfaces, addresses,
/// routes and DNS of one attachment.
public struct CNIResult: Codable, Equatable, Sendable {
    public var cniVersion: String
    public var interfaces: [Interface]
    public var ips: [IP]
    public var routes: [Route]
    public var dns: CNIDNS?

    public init(cniVersion: String, interfaces: [Interface], ips: [IP], routes: [Route], dns: CNIDNS?) {
        self.cniVersion = cniVersion
        self.interfaces = interfaces
        self.ips = ips
        self.routes = routes
        self.dns = dns
    }

    /// Runtimes written in Go leave empty lists out (`omitempty`) when they hand a result back as
    /// prevResult; absent is empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        cniVersion = try container.decodeIfPresent(String.self, forKey: .cniVersion) ?? ""
        interfaces = try container.decodeIfPresent([Interface].self, forKey: .interfaces) ?? []
        ips = try container.decodeIfPresent([IP].self, forKey: .ips) ?? []
        routes = try container.decodeIfPresent([Route].self, forKey: .routes) ?? []
        dns = try container.decodeIfPresent(CNIDNS.self, forKey: .dns)
    }

    public struct Interface: Codable, Equatable, Sendable {
        public var name: String
        public var mac: String?
        public var mtu: Int?
        /// Set for the container's interface, absent for the host's end.
        public var sandbox: String?
    }

    public struct IP: Codable, Equatable, Sendable {
        public var address: String
        public var gateway: String?
        /// Index into `interfaces`.
        public var interface: Int?
    }

    public struct Route: Codable, Equatable, Sendable {
        public var dst: String
        public var gw: String?
    }
}

/// The answer to VERSION.
public struct CNIVersionResult: Codable, Equatable, Sendable {
    public var cniVersion: String
    public var supportedVersions: [String]
}
