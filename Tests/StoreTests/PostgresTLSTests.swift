import Foundation
import Northbound
@testable import Store
import StoreTestSupport
import Testing

/// The certificate of ops/store-contract's server (self-signed, for the name localhost only).
private let serverAuthority = ProcessInfo.processInfo.environment["SWITCHYARD_TEST_POSTGRES_CA"]

/// TLS to the database, as the store URL's `sslmode` asks.
@Suite(.enabled(if: ScratchStore.postgresServer != nil && serverAuthority != nil,
                "SWITCHYARD_TEST_POSTGRES and SWITCHYARD_TEST_POSTGRES_CA name no server (ops/store-contract sets them)"))
struct PostgresTLSTests {
    /// Whether a connection of a backend opened with `parameters` is encrypted.
    static func encrypted(_ url: String, _ parameters: String) async throws -> Bool {
        let backend = try await PostgresBackend(url: url + parameters)
        defer { backend.close() }
        return try await backend.read { db in
            try db.value(Bool.self, sql: "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()") ?? false
        }
    }

    @Test func theConnectionIsEncryptedAsTheURLAsks() async throws {
        let database = try await ScratchStore.emptyDatabase()
        defer { database.drop() }
        let authority = try #require(serverAuthority)
        let byName = database.url.replacingOccurrences(of: "@127.0.0.1:", with: "@localhost:")
        #expect(try await Self.encrypted(database.url, ""), "by default, encrypted when the server offers it")
        #expect(try await Self.encrypted(byName, "?sslmode=verify-full&sslrootcert=\(authority)"))
        #expect(try await Self.encrypted(database.url, "?sslmode=verify-ca&sslrootcert=\(authority)"), "verify-ca checks the chain only")
        #expect(try await Self.encrypted(database.url, "?sslmode=disable") == false)
    }

    @Test func aServerWhoseCertificateDoesNotVerifyIsRefused() async throws {
        let database = try await ScratchStore.emptyDatabase()
        defer { database.drop() }
        let authority = try #require(serverAuthority)
        // The certificate names localhost, not the address asked for.
        await #expect(throws: ModelError.self) { try await Self.encrypted(database.url, "?sslmode=verify-full&sslrootcert=\(authority)") }
        // It is self-signed: the system's roots do not vouch for it.
        let byName = database.url.replacingOccurrences(of: "@127.0.0.1:", with: "@localhost:")
        await #expect(throws: ModelError.self) { try await Self.encrypted(byName, "?sslmode=verify-full") }
    }
}
