import Foundation
import Logging
import NIOPosix
import NIOSSL
import PostgresNIO
import Synchronization

/// The servers a store URL names, and which one takes writes. `postgres://USER@HOST1:PORT,HOST2:PORT/DB`
/// names a primary and its standbys, as libpq's multi-host URLs with `target_session_attrs=read-write`
/// do: a new connection goes to the server that answered last, else to the others in turn, and
/// only to one that is not a standby. When the primary fails and a standby is promoted (by Patroni,
/// by an operator), the controller's next connections find the new primary on their own.
final class PostgresServers: Sendable {
    private let configurations: [PostgresConnection.Configuration]
    /// The server the last connection went to.
    private let preferred = Atomic<Int>(0)
    private let nextID = Atomic<Int>(0)

    init(url: String) throws {
        configurations = try Self.configurations(from: url)
    }

    /// A connection to the server that takes writes; `unavailable` when none does now (each is
    /// down or a standby), which a client tries again once a standby is promoted.
    func connect(logger: Logger) throws -> PostgresConnection {
        var reasons: [String] = []
        let first = preferred.load(ordering: .relaxed)
        for offset in configurations.indices {
            let index = (first + offset) % configurations.count
            let id = nextID.add(1, ordering: .relaxed).newValue
            let connection: PostgresConnection
            do {
                connection = try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(),
                                                            configuration: configurations[index], id: id, logger: logger).wait()
            } catch {
                // No statement was sent: the full description (refused, TLS, authentication) leaks nothing.
                reasons.append("\(Self.address(configurations[index])): \(String(reflecting: error))")
                continue
            }
            if configurations.count > 1 {
                let standby = try? PostgresSession(connection: connection, logger: logger)
                    .value(Bool.self, sql: "SELECT pg_is_in_recovery()", arguments: [], reuse: true)
                guard standby == false else {
                    PostgresBackend.dispose(connection)
                    reasons.append("\(Self.address(configurations[index])): \(standby == true ? "a standby" : "did not answer")")
                    continue
                }
            }
            preferred.store(index, ordering: .relaxed)
            return connection
        }
        // The servers and why each failed are for the operator's log, not for API clients.
        logger.warning("no database server takes writes", metadata: ["servers": "\(reasons.joined(separator: "; "))"])
        throw PostgresBackend.unavailable("no database server takes writes now")
    }

    private static func address(_ configuration: PostgresConnection.Configuration) -> String {
        "\(configuration.host ?? "?"):\(configuration.port ?? 5432)"
    }

    /// One configuration per `HOST[:PORT]` of the URL's comma-separated host list, with the URL's
    /// TLS parameters (``tls(_:)``).
    static func configurations(from url: String) throws -> [PostgresConnection.Configuration] {
        let invalid = StoreError.invalidURL(PostgresBackend.redacted(url))
        guard let schemeEnd = url.range(of: "://") else { throw invalid }
        let rest = url[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        let userEnd = authority.lastIndex(of: "@")
        let hostList = userEnd.map { authority[authority.index(after: $0)...] } ?? authority[...]
        let hosts = hostList.split(separator: ",", omittingEmptySubsequences: false)
        guard (1...16).contains(hosts.count) else { throw invalid }
        return try hosts.map { host in
            // The URL as if it named this host alone, for URLComponents to take apart.
            let single = url[..<schemeEnd.upperBound] + (userEnd.map { authority[...$0] } ?? "") + host + rest[authority.endIndex...]
            guard let components = URLComponents(string: String(single)), components.scheme == "postgres" || components.scheme == "postgresql",
                  let host = components.host, !host.isEmpty, let user = components.user, !user.isEmpty else {
                throw invalid
            }
            let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
            var configuration = PostgresConnection.Configuration(
                host: host, port: components.port ?? 5432, username: user, password: components.password,
                database: database.isEmpty ? nil : database, tls: try tls(components.queryItems ?? []))
            configuration.options.connectTimeout = .seconds(5)
            return configuration
        }
    }

    /// TLS as libpq's parameters ask: `sslmode` `disable`, `prefer` (the default: encrypted when
    /// the server offers it, unverified), `require` (encrypted; unverified unless `sslrootcert` is
    /// given, then as `verify-ca`, as libpq does), `verify-ca` (the
    /// server's certificate chains to `sslrootcert`, a PEM file, or the system's roots) or
    /// `verify-full` (and names the host). Any other parameter is refused.
    static func tls(_ parameters: [URLQueryItem]) throws -> PostgresConnection.Configuration.TLS {
        var (mode, rootCertificate) = ("prefer", String?.none)
        for parameter in parameters {
            switch (parameter.name, parameter.value) {
            case ("sslmode", let value?) where ["disable", "prefer", "require", "verify-ca", "verify-full"].contains(value): mode = value
            case ("sslrootcert", let value?) where !value.isEmpty: rootCertificate = value
            default: throw StoreError.invalidURLParameter(parameter.name)
            }
        }
        var client = TLSConfiguration.makeClientConfiguration()
        client.minimumTLSVersion = .tlsv12
        switch mode {
        case "verify-full": client.certificateVerification = .fullVerification
        case "verify-ca": client.certificateVerification = .noHostnameVerification
        case "require" where rootCertificate != nil: client.certificateVerification = .noHostnameVerification
        default: client.certificateVerification = .none
        }
        if let rootCertificate { client.trustRoots = .file(rootCertificate) }
        switch mode {
        case "disable": return .disable
        case "prefer": return .prefer(try NIOSSLContext(configuration: client))
        default: return .require(try NIOSSLContext(configuration: client))
        }
    }
}
