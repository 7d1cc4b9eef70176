/// What an operator hands to an agent so it can enroll:
/// `<controller host>:<port>/<token secret>/sha256:<hex SHA-256 of the CA certificate DER>`.
///
/// IPv6 controller addresses are bracketed: `[fd00::1]:7443/…`. See `schemas/enrollment.md`.
public struct JoinString: Hashable, Sendable, CustomStringConvertible {
    /// The controller's DNS name or IP address (IPv6 without brackets).
    public let controllerHost: String
    /// The controller's enrollment port.
    public let controllerPort: Int
    /// The enrollment token's secret.
    public let tokenSecret: String
    /// The CA the agent must find at the controller.
    public let caFingerprint: CertificateFingerprint

    /// A join string from its parts.
    /// - Throws: ``PKIError/malformedJoinString(reason:)`` when a part is out of shape.
    public init(controllerHost: String, controllerPort: Int, tokenSecret: String, caFingerprint: CertificateFingerprint) throws {
        guard Self.isValidHost(controllerHost) else {
            throw PKIError.malformedJoinString(reason: "'\(controllerHost)' is not a host name or IP address")
        }
        guard (1...65535).contains(controllerPort) else {
            throw PKIError.malformedJoinString(reason: "port \(controllerPort) is not between 1 and 65535")
        }
        guard EnrollmentToken.isWellFormedSecret(tokenSecret) else {
            throw PKIError.malformedJoinString(reason: "the token secret must be 64 lower-case hex digits")
        }
        self.controllerHost = controllerHost
        self.controllerPort = controllerPort
        self.tokenSecret = tokenSecret
        self.caFingerprint = caFingerprint
    }

    /// Parses the text form.
    /// - Throws: ``PKIError/malformedJoinString(reason:)``.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else {
            throw PKIError.malformedJoinString(reason: "expected 3 parts separated by '/', found \(parts.count)")
        }
        let (host, port) = try Self.parseEndpoint(parts[0])
        let fingerprint: CertificateFingerprint
        do {
            fingerprint = try CertificateFingerprint(parsing: parts[2])
        } catch {
            throw PKIError.malformedJoinString(reason: "the CA hash must be sha256: followed by 64 lower-case hex digits")
        }
        try self.init(controllerHost: host, controllerPort: port, tokenSecret: parts[1], caFingerprint: fingerprint)
    }

    /// The text form, which ``init(parsing:)`` reads back.
    public var description: String {
        let host = controllerHost.contains(":") ? "[\(controllerHost)]" : controllerHost
        return "\(host):\(controllerPort)/\(tokenSecret)/\(caFingerprint)"
    }

    private static func parseEndpoint(_ text: String) throws -> (String, Int) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[close...].hasPrefix("]:") else {
                throw PKIError.malformedJoinString(reason: "'\(text)' must be [IPv6 address]:port")
            }
            host = text[text.index(after: text.startIndex)..<close]
            guard host.contains(":") else {
                throw PKIError.malformedJoinString(reason: "only IPv6 addresses are bracketed, not '\(host)'")
            }
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.firstIndex(of: ":") else {
                throw PKIError.malformedJoinString(reason: "'\(text)' has no port")
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !portText.isEmpty, portText.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              portText.count <= 5, let port = Int(portText) else {
            throw PKIError.malformedJoinString(reason: "'\(portText)' is not a port number")
        }
        return (String(host), port)
    }

    private static func isValidHost(_ host: String) -> Bool {
        if host.contains(":") { return IPAddressBytes.parse(host)?.count == 16 }
        return DNSName.isValid(host) || IPAddressBytes.parse(host) != nil
    }
}
