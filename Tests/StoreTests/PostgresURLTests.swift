@testable import Store
import Testing

/// Store URLs: one server or a primary with its standbys, and never a password in a message.
struct PostgresURLTests {
    @Test func aURLNamesOneServerOrSeveral() throws {
        let one = try PostgresServers.configurations(from: "postgres://switchyard:secret@db.example:6432/cloud")
        #expect(one.map { "\($0.host ?? ""):\($0.port ?? 0)" } == ["db.example:6432"])
        #expect(one.first?.username == "switchyard" && one.first?.password == "secret" && one.first?.database == "cloud")

        let several = try PostgresServers.configurations(from: "postgresql://switchyard@10.0.0.5,10.0.0.6:5433/cloud")
        #expect(several.map { "\($0.host ?? ""):\($0.port ?? 0)" } == ["10.0.0.5:5432", "10.0.0.6:5433"])
        #expect(several.allSatisfy { $0.username == "switchyard" && $0.database == "cloud" })
    }

    @Test(arguments: ["postgres://db.example/cloud", "postgres://u@/cloud", "postgres://u@a,,b/cloud", "postgres://u@a:port/cloud",
                      "mysql://u@a/cloud", "postgres:/u@a"])
    func aURLWithoutUserOrHostIsRefused(_ url: String) {
        #expect(throws: StoreError.self) { try PostgresServers.configurations(from: url) }
    }

    @Test(arguments: ["?sslmode=allow", "?sslmode=", "?sslrootcert=", "?connect_timeout=5", "?sslmode=require&application_name=x"])
    func aParameterOtherThanTLSIsRefused(_ query: String) {
        #expect(throws: StoreError.self) { try PostgresServers.configurations(from: "postgres://u@a/db" + query) }
    }

    @Test func messagesNeverShowThePassword() {
        #expect(PostgresBackend.redacted("postgres://u:s3cret@a:1,b:2/db") == "postgres://u:…@a:1,b:2/db")
        #expect(PostgresBackend.redacted("postgres://u:p@ss@a/db") == "postgres://u:…@a/db")
        #expect(PostgresBackend.redacted("postgres://u@a/db") == "postgres://u@a/db")
        #expect(PostgresBackend.redacted("postgres://u:p/a?s@a/db") == "postgres://u:…@a/db")
    }
}
