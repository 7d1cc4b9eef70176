import PKI

/// Where the controller listens: a DNS name or IP address and a port, written `host:port`,
/// with IPv6 addresses bracketed (`[fd00::1]:7443`).
///
/// The controller's server certificate must name `host`, as for the join string.
public struct ControllerAddress: Hashable, Sendable, CustomStringConvertible {
    /// The DNS name or IP address (IPv6 without brackets).
    public let host: String
    /// The TCP port.
    public let port: Int

    /// An address from its parts.
    /// - Throws: ``AgentError/malformedControllerAddress(_:reason:)``.
    public init(host: String, port: Int) throws {
        guard !host.isEmpty, !host.contains(where: { $0.isWhitespace || $0 == "/" || $0 == "[" || $0 == "]" }) else {
            throw AgentError.malformedControllerAddress(host, reason: "'\(host)' is not a host name or IP address")
        }
        guard (1...65535).contains(port) else {
            throw AgentError.malformedControllerAddress("\(host):\(port)", reason: "port \(port) is not between 1 and 65535")
        }
        self.host = host
        self.port = port
    }

    /// The controllers a join string names, in its order.
    public static func all(in join: JoinString) -> [ControllerAddress] {
        join.controllers.compactMap { try? ControllerAddress(host: $0.host, port: $0.port) }
    }

    /// Parses a comma-separated list of addresses.
    /// - Throws: ``AgentError/malformedControllerAddress(_:reason:)``.
    public static func list(parsing text: String) throws -> [ControllerAddress] {
        try text.split(separator: ",").map { try ControllerAddress(parsing: $0.trimmingCharacters(in: .whitespaces)) }
    }

    /// Parses `host:port` or `[IPv6]:port`.
    /// - Throws: ``AgentError/malformedControllerAddress(_:reason:)``.
    public init(parsing text: String) throws {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[close...].hasPrefix("]:") else {
                throw AgentError.malformedControllerAddress(text, reason: "a bracketed address must be followed by ':PORT'")
            }
            host = text[text.index(after: text.startIndex)..<close]
            guard host.contains(":") else {
                throw AgentError.malformedControllerAddress(text, reason: "only IPv6 addresses are bracketed")
            }
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.firstIndex(of: ":"), text[text.index(after: colon)...].firstIndex(of: ":") == nil else {
                throw AgentError.malformedControllerAddress(text, reason: "expected exactly one ':' (bracket IPv6 addresses)")
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard portText.count <= 5, portText.allSatisfy(\.isASCII), portText.allSatisfy(\.isNumber), let port = Int(portText) else {
            throw AgentError.malformedControllerAddress(text, reason: "'\(portText)' is not a port number")
        }
        try self.init(host: String(host), port: port)
    }

    /// `host:port`, which ``init(parsing:)`` reads back.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
