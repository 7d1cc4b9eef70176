import Foundation
import Northbound
import Store
import StoreTestSupport
import Testing

/// Concurrent mutations share commits, but each is atomic on its own and gets its own revision.
@Suite struct GroupCommitTests {
    func withStore(_ body: (Store) async throws -> Void) async throws {
        try await ScratchStore.with(body)
    }

    @Test func aFailingMutationRollsBackAloneInsideABatch() async throws {
        try await withStore { store in
            let outcomes = await withTaskGroup(of: Result<Int64, ModelError>.self) { group in
                for index in 0..<40 {
                    // Every fourth request reuses a name and must fail; the others must commit.
                    let name = index % 4 == 3 ? "t\(index - 1)" : "t\(index)"
                    group.addTask {
                        do {
                            return .success(try await store.createTenant(TenantCreate(name: name), scope: .admin).revision)
                        } catch let error as ModelError {
                            return .failure(error)
                        } catch {
                            return .failure(ModelError(.internalError, "\(error)"))
                        }
                    }
                }
                var all: [Result<Int64, ModelError>] = []
                for await outcome in group { all.append(outcome) }
                return all
            }
            let revisions = outcomes.compactMap { try? $0.get() }.sorted()
            let failures = outcomes.compactMap { if case .failure(let error) = $0 { error.code } else { nil } }
            #expect(revisions.count + failures.count == 40)
            #expect(failures.allSatisfy { $0 == .conflict })
            #expect(revisions.count == 30, "each distinct name commits exactly once")
            #expect(revisions == Array(1...Int64(revisions.count)), "committed mutations get consecutive revisions")
            #expect(try await store.revision() == Int64(revisions.count))
            let stored = try await store.tenants(ListQuery(limit: 1000), scope: .admin).items
            #expect(stored.count == revisions.count)
        }
    }

    @Test func initRefusesAnExistingStoreAndOpenRefusesAMissingOne() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-store-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: StoreError.self) { try Store(dataDirectory: directory) }
        _ = try Store.initialize(dataDirectory: directory)
        #expect(throws: StoreError.self) { try Store.initialize(dataDirectory: directory) }
    }

    @Test func sqliteStoreRunsInWALWithFullSync() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-store-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try Store.initialize(dataDirectory: directory)
        let settings = try await Store(dataDirectory: directory).pragmas()
        #expect(settings.journalMode == "wal")
        #expect(settings.synchronous == 2, "synchronous=FULL")
        #expect(settings.foreignKeys)
    }
}
