/// A network configuration as the runtime hands it to us on stdin (one plugin of a conflist,
/// with `name` and `cniVersion` filled in). Fields we do not know are ignored, as the spec asks.
public struct CNIConfig: Decodable, Sendable {
    public var cniVersion: String
    public var name: String
    public var type: String?
    public var tenant: String?
    public var `switch`: String?
    public var cluster: String?
    /// A requested IPv4 address on the switch.
    public var ip: String?
    /// An MTU below the switch's for this network's interfaces.
    public var mtu: Int?
    /// Whether the interface carries the default route; by default only `eth0` does.
    public var defaultRoute: Bool?
    /// Labels every port of this network gets.
    public var labels: [String: String]?
    /// The agent's local API socket.
    public var socket: String?
    public var dns: CNIDNS?
    public var runtimeConfig: RuntimeConfig?
    public var args: Args?
    public var validAttachments: [GCAttachment]?
    public var attachments: [GCAttachment]?
    /// CHECK's previous result.
    public var prevResult: CNIResult?

    /// The addresses the previous result gave, as `address/prefix`.
    public var previousAddresses: [String]? { prevResult.map { $0.ips.map(\.address) } }

    public struct RuntimeConfig: Decodable, Sendable {
        /// The `ips` capability: addresses with or without a prefix length.
        public var ips: [String]?
        public var labels: [String: String]?
    }

    /// `args.cni` of the CNI conventions: `ips` and `labels` as `[{key, value}]`.
    public struct Args: Decodable, Sendable {
        public var cni: CNIArgs?
        public struct CNIArgs: Decodable, Sendable {
            public var ips: [String]?
            public var labels: [Label]?
        }
        public struct Label: Decodable, Sendable {
            public var key: String
            public var value: String
        }
    }

    /// One attachment GC must keep.
    public struct GCAttachment: Decodable, Equatable, Sendable {
        public var containerID: String
        public var ifname: String
    }

    enum CodingKeys: String, CodingKey {
        case cniVersion, name, type, tenant, `switch`, cluster, ip, mtu, defaultRoute, labels, socket, dns, runtimeConfig, args, prevResult
        case validAttachments = "cni.dev/valid-attachments"
        case attachments = "cni.dev/attachments"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        cniVersion = try container.decode(String.self, forKey: .cniVersion)
        name = try container.decode(String.self, forKey: .name)
        type = try container.decodeIfPresent(String.self, forKey: .type)
        tenant = try container.decodeIfPresent(String.self, forKey: .tenant)
        `switch` = try container.decodeIfPresent(String.self, forKey: .switch)
        cluster = try container.decodeIfPresent(String.self, forKey: .cluster)
        ip = try container.decodeIfPresent(String.self, forKey: .ip)
        mtu = try container.decodeIfPresent(Int.self, forKey: .mtu)
        defaultRoute = try container.decodeIfPresent(Bool.self, forKey: .defaultRoute)
        labels = try container.decodeIfPresent([String: String].self, forKey: .labels)
        socket = try container.decodeIfPresent(String.self, forKey: .socket)
        dns = try container.decodeIfPresent(CNIDNS.self, forKey: .dns)
        runtimeConfig = try container.decodeIfPresent(RuntimeConfig.self, forKey: .runtimeConfig)
        args = try container.decodeIfPresent(Args.self, forKey: .args)
        validAttachments = try container.decodeIfPresent([GCAttachment].self, forKey: .validAttachments)
        attachments = try container.decodeIfPresent([GCAttachment].self, forKey: .attachments)
        // A previous result we cannot read must not block a DEL: it is only compared by CHECK.
        prevResult = try? container.decodeIfPresent(CNIResult.self, forKey: .prevResult)
    }

    /// The address asked for, by precedence: runtimeConfig `ips`, `args.cni.ips`, CNI_ARGS `IP`, the config's `ip`.
    public func requestedIP(cniArgs: [String: String]) -> String? {
        let candidate = runtimeConfig?.ips?.first ?? args?.cni?.ips?.first ?? cniArgs["IP"] ?? ip
        return candidate.map { String($0.split(separator: "/").first ?? "") }
    }

    /// The port's labels: the config's, `args.cni.labels`, runtimeConfig `labels`, the pod's
    /// namespace and name from CNI_ARGS (`io.kubernetes.pod.namespace`, `io.kubernetes.pod.name`),
    /// and CNI_ARGS entries `label.KEY=VALUE` (what a runtime without label support can pass,
    /// such as Podman, which hands its own CNI_ARGS environment to the plugins).
    public func labels(cniArgs: [String: String]) -> [String: String] {
        var result = labels ?? [:]
        for (key, value) in cniArgs where key.hasPrefix("label.") && key.count > 6 { result[String(key.dropFirst(6))] = value }
        for label in args?.cni?.labels ?? [] { result[label.key] = label.value }
        for (key, value) in runtimeConfig?.labels ?? [:] { result[key] = value }
        if let namespace = cniArgs["K8S_POD_NAMESPACE"] { result["io.kubernetes.pod.namespace"] = namespace }
        if let pod = cniArgs["K8S_POD_NAME"] { result["io.kubernetes.pod.name"] = pod }
        return result
    }
}

/// The spec's DNS settings: the configuration's, and the result's (``CNIPlugin/resolver(_:configured:)``).
public struct CNIDNS: Codable, Equatable, Sendable {
    public var nameservers: [String]?
    public var domain: String?
    public var search: [String]?
    public var options: [String]?
}
