/// A port of this host plugged into a workload's network namespace: what the CNI plugin (or an
/// operator) asks for through the local API, and what the port manager realizes as a veth pair.
public struct PortAttachment: Codable, Equatable, Hashable, Sendable {
    /// The port's id, as the controller knows it.
    public var port: String
    /// The workload's network namespace, by name under /run/netns.
    public var namespace: String
    /// The interface name inside the namespace.
    public var interfaceName: String

    public init(port: String, namespace: String, interfaceName: String = "eth0") {
        self.port = port
        self.namespace = namespace
        self.interfaceName = interfaceName
    }

    /// Refuses anything that is not a plain identifier: these names reach the kernel.
    public func validated() throws -> PortAttachment {
        func check(_ value: String, _ field: String, maxLength: Int, allowed: (Unicode.Scalar) -> Bool) throws {
            guard (1...maxLength).contains(value.count), value.unicodeScalars.allSatisfy(allowed), value != ".", value != ".." else {
                throw LocalAPIError(code: "invalid_\(field)", message: "\(field) '\(value)' must be 1 to \(maxLength) characters of the allowed set")
            }
        }
        let identifier: (Unicode.Scalar) -> Bool = { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0) }
        try check(port, "port", maxLength: 40, allowed: { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" })
        try check(namespace, "namespace", maxLength: 64, allowed: identifier)
        // IFNAMSIZ is 16 bytes with the terminating zero.
        try check(interfaceName, "interfaceName", maxLength: 15, allowed: identifier)
        return self
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
