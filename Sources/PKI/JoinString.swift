/// What an operator hands to an agent so it can enroll:
/// `<controller host>:<port>[,<host>:<port>…]/<token secret>/sha256:<hex SHA-256 of the CA certificate DER>`,
/// with every controller of a shared store listed (they share the CA).
///
/// IPv6 controller addresses are bracketed: `[fd00::1]:7443/…`. See `schemas/enrollment.md`.
public struct JoinString: Hashable, Sendable, CustomStringConvertible {
    /// A controller's enrollment (and session) listener.
    public struct Endpoint: Hashable, Sendable {
        /// A DNS name or IP address (IPv6 without brackets).
        public let host: String
        public let port: Int

        init(host: String, port: Int) {
            (self.host, self.port) = (host, port)
        }

        /// `host:port`, IPv6 bracketed, as a join string (and the controllers' `controllers` message) writes it.
        /// - Throws: ``PKIError/malformedJoinString(reason:)``.
        public init(parsing text: String) throws {
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
            (self.host, self.port) = (String(host), port)
        }
    }

    /// The controllers the agent may enroll with and connect to, the one that made the string first.
    public let controllers: [Endpoint]
    /// The first controller's DNS name or IP address (IPv6 without brackets).
    public var controllerHost: String { controllers[0].host }
    /// The first controller's enrollment port.
    public var controllerPort: Int { controllers[0].port }
    /// The enrollment token's secret.
    public let tokenSecret: String
    /// The CA the agent must find at the controller.
    public let caFingerprint: CertificateFingerprint

    /// A join string from its parts.
    /// - Throws: ``PKIError/malformedJoinString(reason:)`` when a part is out of shape.
    public init(controllerHost: String, controllerPort: Int, tokenSecret: String, caFingerprint: CertificateFingerprint) throws {
        try self.init(controllers: [(controllerHost, controllerPort)], tokenSecret: tokenSecret, caFingerprint: caFingerprint)
    }

    /// A join string naming several controllers (of one store, with one CA), in the order to try them.
    public init(controllers: [(host: String, port: Int)], tokenSecret: String, caFingerprint: CertificateFingerprint) throws {
        guard !controllers.isEmpty, controllers.count <= Self.maximumControllers else {
            throw PKIError.malformedJoinString(reason: "a join string names 1 to \(Self.maximumControllers) controllers")
        }
        for (host, port) in controllers {
            guard Self.isValidHost(host) else {
                throw PKIError.malformedJoinString(reason: "'\(host)' is not a host name or IP address")
            }
            guard (1...65535).contains(port) else {
                throw PKIError.malformedJoinString(reason: "port \(port) is not between 1 and 65535")
            }
        }
        guard EnrollmentToken.isWellFormedSecret(tokenSecret) else {
            throw PKIError.malformedJoinString(reason: "the token secret must be 64 lower-case hex digits")
        }
        self.controllers = controllers.map { Endpoint(host: $0.host, port: $0.port) }
        self.tokenSecret = tokenSecret
        self.caFingerprint = caFingerprint
    }

    public static let maximumControllers = 16

    /// Parses the text form.
    /// - Throws: ``PKIError/malformedJoinString(reason:)``.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else {
            throw PKIError.malformedJoinString(reason: "expected 3 parts separated by '/', found \(parts.count)")
        }
        let endpoints = try parts[0].split(separator: ",", omittingEmptySubsequences: false).map { try Endpoint(parsing: String($0)) }
        let fingerprint: CertificateFingerprint
        do {
            fingerprint = try CertificateFingerprint(parsing: parts[2])
        } catch {
            throw PKIError.malformedJoinString(reason: "the CA hash must be sha256: followed by 64 lower-case hex digits")
        }
        try self.init(controllers: endpoints.map { ($0.host, $0.port) }, tokenSecret: parts[1], caFingerprint: fingerprint)
    }

    /// The text form, which ``init(parsing:)`` reads back.
    public var description: String {
        let endpoints = controllers.map { ($0.host.contains(":") ? "[\($0.host)]" : $0.host) + ":\($0.port)" }
        return "\(endpoints.joined(separator: ","))/\(tokenSecret)/\(caFingerprint)"
    }


    private static func isValidHost(_ host: String) -> Bool {
        if host.contains(":") { return IPAddressBytes.parse(host)?.count == 16 }
        return DNSName.isValid(host) || IPAddressBytes.parse(host) != nil
    }
}
