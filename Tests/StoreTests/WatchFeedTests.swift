import Foundation
import Northbound
import Store
import StoreTestSupport
import Testing

/// What `GET /v1/watch` reads: changes after a revision, in order, scoped, one per object.
@Suite struct WatchFeedTests {
    @Test func changesComeInRevisionOrderOncePerObjectScopedAndFiltered() async throws {
        try await ScratchStore.with { store in
            let acme = try await store.createTenant(TenantCreate(name: "acme"), scope: .admin).value.id
            let globex = try await store.createTenant(TenantCreate(name: "globex"), scope: .admin).value.id
            let start = try await store.revision()
            let web = try await store.createSwitch(LogicalSwitchCreate(tenant: acme, name: "web", cidr: "10.0.0.0/24"), scope: .admin)
            let other = try await store.createSwitch(LogicalSwitchCreate(tenant: globex, name: "web", cidr: "10.0.0.0/24"), scope: .admin)
            let port = try await store.createPort(PortCreate(switch: web.value.id, name: "a"), scope: .admin)
            let relabelled = try await store.updatePort(port.value.id, PortUpdate(labels: ["app": "web"]), nulls: [], scope: .admin)
            let gone = try await store.createPort(PortCreate(switch: web.value.id, name: "b"), scope: .admin)
            let deleted = try await store.deletePort(gone.value.id, scope: .admin)

            let all = try await store.watch(since: start, kinds: [], scope: .admin)
            #expect(all.through == deleted.revision && !all.more)
            #expect(all.events.map(\.revision) == [web.revision, other.revision, relabelled.revision, deleted.revision],
                    "the create of a port updated later, and of one deleted later, come as their last change")
            #expect(all.events.map(\.type) == [.created, .created, .updated, .deleted])
            #expect((all.events[2].object as? Northbound.Port)?.labels == ["app": "web"], "the object as stored at the change")
            #expect(all.events[3].object == nil && all.events[3].id == gone.value.id)

            let tenant = Scope.tenant(acme)
            let own = try await store.watch(since: start, kinds: [], scope: tenant)
            #expect(own.events.map(\.id) == [web.value.id, port.value.id, gone.value.id], "another tenant's switch is not seen")
            let ports = try await store.watch(since: start, kinds: ["ports"], scope: .admin)
            #expect(ports.events.allSatisfy { $0.kind == "ports" } && ports.events.count == 2)

            // A small limit never splits a revision and says there is more.
            let first = try await store.watch(since: start, kinds: [], scope: .admin, limit: 1)
            #expect(first.through == web.revision && first.more && first.events.count == 1)

            await #expect(throws: ModelError.self) { try await store.watch(since: deleted.revision + 5, kinds: [], scope: .admin) }
            try await store.pruneHistory(through: relabelled.revision)
            do {
                _ = try await store.watch(since: start, kinds: [], scope: .admin)
                Issue.record("a watch from pruned history was answered")
            } catch let error as ModelError {
                #expect(error.code == .historyPruned)
            }
            #expect(try await store.watch(since: relabelled.revision, kinds: [], scope: .admin).events.count == 1)
        }
    }
}
