import Compiler
import Foundation
import Northbound
import Store
import StoreTestSupport
import Testing

/// The change feed carries every committed change, so a compiler fed from it matches a fresh snapshot.
@Suite struct ChangeFeedTests {
    @Test func feedReplaysToTheSameStateAsASnapshot() async throws {
        try await ScratchStore.with { store in
            let commits = store.commits()
            var compiler = IncrementalCompiler(try await store.desiredState())
            var seen: Int64 = 0

            func sync() async throws {
                let (revision, changes) = try await store.changes(since: seen)
                _ = compiler.apply(changes, revision: revision)
                seen = revision
            }

            let tenant = try await store.createTenant(TenantCreate(name: "acme"), scope: .admin).value.id
            let host1 = try await store.createHost(HostCreate(name: "hv1", address: "198.18.0.11"), scope: .admin).value.id
            let host2 = try await store.createHost(HostCreate(name: "hv2", address: "198.18.0.12"), scope: .admin).value.id
            let sw = try await store.createSwitch(LogicalSwitchCreate(tenant: tenant, name: "web", cidr: "10.0.0.0/24"), scope: .admin).value.id
            let first = try await store.createPort(PortCreate(switch: sw, name: "a", host: host1), scope: .admin)
            _ = try await store.createPort(PortCreate(switch: sw, name: "b", host: host2), scope: .admin)
            try await sync()
            #expect(compiler.hostStates[host1]?.switches[sw]?.remotePorts.count == 1)

            for await revision in commits {
                #expect(revision == first.revision + 1, "subscribers learn the newest committed revision")
                break
            }

            _ = try await store.deletePort(first.value.id, scope: .admin)
            let moved = try await store.createPort(PortCreate(switch: sw, name: "c", host: host1), scope: .admin)
            _ = try await store.updatePort(moved.value.id, PortUpdate(host: host2), nulls: [], scope: .admin)
            try await sync()

            let snapshot = try await store.desiredState()
            #expect(compiler.state == snapshot)
            #expect(compiler.hostStates == compile(snapshot))
            #expect(compiler.hostStates[host1]?.ports.isEmpty == true, "the deleted and the moved port left host 1")
            #expect(try await store.changes(since: seen).changes.isEmpty)
        }
    }
}
