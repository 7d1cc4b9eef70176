import Foundation
import Northbound

extension Store {
    /// Records `fingerprint` as the store's CA when none is yet, and returns the store's CA: a
    /// controller whose CA differs would issue host certificates the others refuse.
    public func claimAuthority(_ fingerprint: String) async throws -> String {
        try await backend.writeStatus { db in
            try db.execute(sql: "INSERT INTO authority (id, fingerprint) VALUES (1, ?) ON CONFLICT (id) DO NOTHING", arguments: [fingerprint])
            guard let recorded = try db.value(String.self, sql: "SELECT fingerprint FROM authority WHERE id = 1") else {
                throw ModelError(.unavailable, "the store's CA fingerprint could not be read back")
            }
            return recorded
        }
    }
}
