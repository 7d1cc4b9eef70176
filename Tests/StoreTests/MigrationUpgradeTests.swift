import Foundation
import GRDB
import Northbound
@testable import Store
import Testing

/// A store written by an earlier release, opened by this one: the migrations it lacks run on its
/// data, which stays as it was.
@Suite struct MigrationUpgradeTests {
    @Test func servicesMadeBeforeHeadlessServicesSurviveTheTableRebuild() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-upgrade-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // The store as the release before headless services left it: migrated up to 0012, with a
        // tenant, a router and two services (one external) written as that release wrote them.
        let queue = try DatabaseQueue(path: (directory as NSString).appendingPathComponent(Store.databaseFileName))
        try Migrations.migrator().migrate(queue, upTo: "0012_external_services")
        let spec = #"{"ports":[{"protocol":"tcp","port":80}],"selector":{},"algorithm":"random"}"#
        try await queue.write { db in
            try db.execute(sql: "UPDATE meta SET revision = 4")
            try db.execute(sql: "INSERT INTO tenants (id, name, quotas, revision) VALUES ('tn-1', 'acme', '{\"services\": 4}', 1)")
            try db.execute(sql: "INSERT INTO routers (id, tenant, name, transit_vni, revision) VALUES ('rt-1', 'tn-1', 'r1', 5000, 2)")
            try db.execute(sql: """
                INSERT INTO services (id, tenant, name, router, vip, spec, revision, type, external_ip)
                VALUES ('sv-1', 'tn-1', 'web', 'rt-1', '10.96.0.1', ?, 3, 'internal', NULL),
                       ('sv-2', 'tn-1', 'shop', 'rt-1', '10.96.0.2', ?, 4, 'external', '203.0.113.20')
                """, arguments: [spec, spec])
        }
        try queue.close()

        let store = try Store(dataDirectory: directory)
        let web = try await store.service("sv-1", scope: .admin)
        #expect(web.vip == "10.96.0.1" && web.type == .internal && web.ports == [ServicePort(protocol: .tcp, port: 80)] && web.revision == 3)
        let shop = try await store.service("sv-2", scope: .admin)
        #expect(shop.type == .external && shop.externalIp == "203.0.113.20")
        // The rebuilt table works as before: headless services beside them, the VIPs still taken,
        // the usage and audit triggers still counting.
        let ports = [ServicePort(protocol: .tcp, port: 7000)]
        let peers = try await store.createService(ServiceCreate(tenant: "tn-1", name: "peers", router: "rt-1", type: .headless, ports: ports),
                                                  scope: .admin)
        #expect(peers.value.vip == nil)
        let api = try await store.createService(ServiceCreate(tenant: "tn-1", name: "api", router: "rt-1", ports: ports), scope: .admin)
        #expect(api.value.vip == "10.96.0.3", "10.96.0.1 and .2 are still taken")
        await #expect(throws: ModelError.self) {
            try await store.createService(ServiceCreate(tenant: "tn-1", name: "dup", router: "rt-1", vip: "10.96.0.1", ports: ports), scope: .admin)
        }
        // Two from before and two now fill the quota of four: the usage counted across the rebuild.
        await #expect(throws: ModelError.self) {
            try await store.createService(ServiceCreate(tenant: "tn-1", name: "fifth", router: "rt-1", type: .headless, ports: ports), scope: .admin)
        }
        let audited = try await store.audit(AuditQuery(kind: "services"), scope: .admin).items.map(\.object)
        #expect(Set(audited).isSuperset(of: [peers.value.id, api.value.id]))
        #expect(try await store.externalNetworks(ListQuery(), scope: .admin).items.isEmpty, "0014 ran too")
    }
}
