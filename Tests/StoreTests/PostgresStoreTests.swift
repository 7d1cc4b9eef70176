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

    /// A commit through one controller's store wakes the other's subscribers (LISTEN/NOTIFY), and
    /// a token revoked through one is refused by the other at once, though the other had it cached.
    @Test func commitsAndRevocationsThroughOneStoreReachTheOther() async throws {
        try await ScratchStore.withTwo { first, second in
            #expect(first.store.isShared && second.store.isShared)
            let tenant = try await first.store.createTenant(TenantCreate(name: "acme"), scope: .admin).value.id
            let token = try #require(try await first.store.createToken(tenant: tenant, TokenCreate(), scope: .admin).value.token)
            #expect(try await second.store.token(forSecret: token) != nil, "valid, and now cached in the second store")

            let commits = second.store.commits()
            let created = try await first.store.createSwitch(LogicalSwitchCreate(tenant: tenant, name: "web", cidr: "10.0.0.0/24"),
                                                             scope: .admin)
            let heard = await withTaskGroup(of: Int64?.self) { group in
                group.addTask {
                    for await revision in commits where revision >= created.revision { return revision }
                    return nil
                }
                group.addTask { try? await Task.sleep(for: .seconds(5)); return nil }
                defer { group.cancelAll() }
                return await group.next() ?? nil
            }
            #expect(heard == created.revision, "the second store's subscribers hear the first's commit")

            let tokenID = try #require(try await first.store.tokens(tenant: tenant, scope: .admin).items.first?.id)
            _ = try await first.store.deleteToken(tenant: tenant, token: tokenID, scope: .admin)
            var refused = false
            for _ in 0..<50 where !refused {
                refused = try await second.store.token(forSecret: token) == nil
                if !refused { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(refused, "the revoked token is refused through the second store within 5 s")
        }
    }

    /// A store whose database went away answers `unavailable` (503 through the API), promptly,
    /// and changes nothing: the request may be tried again.
    @Test func aStoreWhoseDatabaseIsGoneAnswersUnavailable() async throws {
        let scratch = try await ScratchStore.make()
        _ = try await scratch.store.createTenant(TenantCreate(name: "acme"), scope: .admin)
        scratch.remove()
        let started = ContinuousClock.now
        await #expect(throws: ModelError.self) { try await scratch.store.createTenant(TenantCreate(name: "globex"), scope: .admin) }
        do {
            _ = try await scratch.store.revision()
            Issue.record("a read of a dropped database succeeded")
        } catch let error as ModelError {
            #expect(error.code == .unavailable, "\(error)")
        }
        #expect(ContinuousClock.now - started < .seconds(15), "no hang")
    }
}
