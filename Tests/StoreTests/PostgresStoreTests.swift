import Foundation
import Northbound
import Store
import StoreTestSupport
import Testing

/// What only a shared PostgreSQL store has to show: several controllers' stores on one database.
@Suite(.enabled(if: ScratchStore.postgresServer != nil, "SWITCHYARD_TEST_POSTGRES names no server (ops/store-contract sets it)"))
struct PostgresStoreTests {
    @Test func initRefusesAnInitializedDatabaseAndOpenAnUninitializedOne() async throws {
        try await ScratchStore.withTwo { scratch, _ in
            await #expect(throws: StoreError.alreadyInitialized(scratch.location)) { try await Store.initialize(postgres: scratch.location) }
        }
        let empty = try await ScratchStore.emptyDatabase()
        defer { empty.drop() }
        await #expect(throws: StoreError.notInitialized(empty.url)) { try await Store.open(empty.url) }
    }

    /// Two controllers write at once: every committed write has its own revision, the revisions are
    /// 1…N without a gap, and each store's change feed from 0 finds every write of both.
    @Test func revisionsFromTwoStoresAreGapFreeAndEachFeedSeesEveryWrite() async throws {
        try await ScratchStore.withTwo { first, second in
            let revisions = try await withThrowingTaskGroup(of: Int64.self) { group in
                for index in 0..<60 {
                    let store = index % 2 == 0 ? first.store : second.store
                    group.addTask { try await store.createTenant(TenantCreate(name: "t\(index)"), scope: .admin).revision }
                }
                return try await group.reduce(into: [Int64]()) { $0.append($1) }
            }
            #expect(revisions.sorted() == Array(1...60))
            for store in [first.store, second.store] {
                #expect(try await store.revision() == 60)
                let (revision, changes) = try await store.changes(since: 0)
                #expect(revision == 60 && changes.count == 60)
                #expect(try await store.tenants(ListQuery(limit: 100), scope: .admin).items.count == 60)
            }
        }
    }
}
