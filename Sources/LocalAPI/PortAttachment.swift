/// A port of this host plugged into a workload's network namespace: what the CNI plugin (or an
/// operator) asks for through the local API, and what the port manager realizes as a veth pair.
public struct PortAttachment: Codable, Equatable, Hashable, Sendable {
    /// The port's id, as the controller knows it.
    public var port: String
    /// The workload's network namespace: a name under /run/netns, or a path a runtime gave.
    public var namespace: String
    /// The interface name inside the namespace.
    public var interfaceName: String
    /// The runtime attachment that asked for the port; nil for ports attached by id.
    public var owner: AttachmentOwner?
    /// The network the runtime attached to (for garbage collection per network).
    public var network: WorkloadNetwork?
    /// An MTU below the switch's; nil: the switch's.
    public var mtu: Int?
    /// Whether the interface carries the namespace's default route; nil: it does.
    public var defaultRoute: Bool?
    /// Whether the workload end is handed over to the runtime, which moves it into its container and
    /// configures it (Docker's Join): it is made in the host's namespace as `interfaceName`, and only
    /// the host end is kept realized. `namespace` is empty then.
    public var handedOver: Bool?

    public init(port: String, namespace: String, interfaceName: String = "eth0", owner: AttachmentOwner? = nil,
                network: WorkloadNetwork? = nil, mtu: Int? = nil, defaultRoute: Bool? = nil, handedOver: Bool? = nil) {
        self.port = port
        self.namespace = namespace
        self.interfaceName = interfaceName
        self.owner = owner
        self.network = network
        self.mtu = mtu
        self.defaultRoute = defaultRoute
        self.handedOver = handedOver
    }

    /// The interface's MTU for a port on a switch of `switchMTU`: the smaller.
    public func mtu(onSwitchOf switchMTU: Int) -> Int { min(mtu ?? switchMTU, switchMTU) }

    /// Refuses anything that is not a plain identifier or an accepted namespace path: these reach the kernel.
    public func validated() throws -> PortAttachment {
        try Self.check(port, "port", maxLength: 40, allowed: { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" })
        var attachment = self
        if handedOver == true {
            guard namespace.isEmpty else {
                throw LocalAPIError(code: "invalid_namespace", message: "an interface handed over to the runtime names no namespace")
            }
        } else {
            attachment.namespace = try NamespaceReference.validated(namespace)
        }
        // IFNAMSIZ is 16 bytes with the terminating zero.
        try Self.check(interfaceName, "interfaceName", maxLength: 15, allowed: Self.isIdentifierCharacter)
        if let mtu, !(576...65_535).contains(mtu) {
            throw LocalAPIError(code: "invalid_mtu", message: "mtu \(mtu) must be from 576 to 65535")
        }
        return attachment
    }

    static func isIdentifierCharacter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || "-_.".unicodeScalars.contains(scalar)
    }

    static func check(_ value: String, _ field: String, maxLength: Int, allowed: (Unicode.Scalar) -> Bool) throws {
        guard (1...maxLength).contains(value.count), value.unicodeScalars.allSatisfy(allowed), value != ".", value != ".." else {
            throw LocalAPIError(code: "invalid_\(field)", message: "\(field) '\(value)' must be 1 to \(maxLength) characters of the allowed set")
        }
    }
}

/// How a workload's network namespace is named: by name under /run/netns (as `ip netns add`
/// makes them), or by a path a runtime hands over — `/proc/PID/ns/net`, or a bind mount under
/// `/run/netns`, `/var/run/netns` or Docker's `/run/docker/netns`. A path under /run/netns is
/// turned into its name, so the same namespace has one spelling.
public enum NamespaceReference {
    public static func validated(_ value: String) throws -> String {
        let refusal = LocalAPIError(code: "invalid_namespace",
                                    message: "namespace '\(value)' must be a name of [A-Za-z0-9_.-] or /proc/PID/ns/net or a path under /run/netns, /var/run/netns or /run/docker/netns")
        guard value.hasPrefix("/") else {
            try PortAttachment.check(value, "namespace", maxLength: 64, allowed: PortAttachment.isIdentifierCharacter)
            return value
        }
        let parts = value.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        func plainName(_ name: String) -> Bool {
            (1...64).contains(name.count) && name != "." && name != ".." && name.unicodeScalars.allSatisfy(PortAttachment.isIdentifierCharacter)
        }
        switch parts.count {
        case 3 where parts[0] == "run" && parts[1] == "netns" && plainName(parts[2]):
            return parts[2]
        case 4 where parts[0] == "var" && parts[1] == "run" && parts[2] == "netns" && plainName(parts[3]):
            return parts[3]
        case 4 where parts[0] == "proc" && !parts[1].isEmpty && parts[1].count <= 10 && parts[1].allSatisfy(\.isASCII)
            && parts[1].allSatisfy(\.isNumber) && parts[2] == "ns" && parts[3] == "net":
            return value
        case 4 where parts[0] == "run" && parts[1] == "docker" && parts[2] == "netns" && plainName(parts[3]):
            return value
        case 5 where parts[0] == "var" && parts[1] == "run" && parts[2] == "docker" && parts[3] == "netns" && plainName(parts[4]):
            return "/run/docker/netns/\(parts[4])"
        default:
            throw refusal
        }
    }
}

/// A refusal of the local API: a stable code and a message.
public struct LocalAPIError: Error, Codable, Equatable, Sendable, CustomStringConvertible {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
