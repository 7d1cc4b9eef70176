import Foundation
import Northbound
import Store
import Testing

/// Deletes leave tombstones for the change feed; pruning keeps them, and so the store, bounded.
@Suite struct HistoryPruningTests {
    @Test func churnLeavesTheStoreBoundedOncePruned() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-prune-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try Store.initialize(dataDirectory: directory)
        let store = try Store(dataDirectory: directory)
        let tenant = try await store.createTenant(TenantCreate(name: "acme"), scope: .admin).value.id
        let sw = try await store.createSwitch(LogicalSwitchCreate(tenant: tenant, name: "web", cidr: "10.0.0.0/16"), scope: .admin).value.id
        let database = (directory as NSString).appendingPathComponent(Store.databaseFileName)

        func churn(_ rounds: Int) async throws {
            for round in 0..<rounds {
                let ports = try await withThrowingTaskGroup(of: String.self) { group in
                    for index in 0..<100 {
                        group.addTask { try await store.createPort(PortCreate(switch: sw, name: "p\(round)-\(index)"), scope: .admin).value.id }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for port in ports { group.addTask { _ = try await store.deletePort(port, scope: .admin) } }
                    try await group.waitForAll()
                }
                try await store.pruneHistory(through: try await store.revision() - 50)
            }
        }
        try await churn(5)
        let sizeAfterWarmUp = try FileManager.default.attributesOfItem(atPath: database)[.size] as? Int ?? 0
        let before = try await store.revision()
        try await churn(20)
        let sizeAfterChurn = try FileManager.default.attributesOfItem(atPath: database)[.size] as? Int ?? 0
        // 2,000 more deletes: without pruning, 2,000 more tombstones and the pages to hold them.
        #expect(sizeAfterChurn <= sizeAfterWarmUp + 64 * 1024, "\(sizeAfterWarmUp) → \(sizeAfterChurn) bytes")

        var historyStart: Int64 = 0
        do {
            _ = try await store.changes(since: before)
            Issue.record("changes from before the pruned history were answered")
        } catch StoreError.historyPruned(let since, let start) {
            #expect(since == before && start > before)
            historyStart = start
        }
        let recent = try await store.changes(since: historyStart)
        #expect(recent.changes.count <= 100, "only the last revisions' changes remain")
        let trail = try await store.audit(AuditQuery(limit: 1_000), scope: .admin).items
        #expect(!trail.isEmpty && trail.allSatisfy { $0.revision > historyStart }, "the audit trail is pruned with the history")
    }
}
