import Foundation
import Northbound
import Store
import StoreTestSupport
import Testing

/// Ports a host's container runtime asks for: the host's authority is the cluster's host list,
/// an attachment owns one port, and delete and garbage collection find ports by owner.
@Suite struct RuntimePortTests {
    struct Cloud {
        let store: Store
        let tenant: String
        let hosts: [String]
        let web: String
    }

    func cloud() async throws -> (Cloud, ScratchStore) {
        let scratch = try await ScratchStore.make()
        let store = scratch.store
        let tenant = try await store.createTenant(TenantCreate(name: "acme"), scope: .admin).value.id
        let other = try await store.createTenant(TenantCreate(name: "globex"), scope: .admin).value.id
        let hosts = [
            try await store.createHost(HostCreate(name: "hv1", address: "198.18.0.11"), scope: .admin).value.id,
            try await store.createHost(HostCreate(name: "hv2", address: "198.18.0.12"), scope: .admin).value.id,
        ]
        let web = try await store.createSwitch(LogicalSwitchCreate(tenant: tenant, name: "web", cidr: "10.0.0.0/24"), scope: .admin).value.id
        _ = try await store.createSwitch(LogicalSwitchCreate(tenant: other, name: "theirs", cidr: "10.0.0.0/24"), scope: .admin)
        _ = try await store.createCluster(ClusterCreate(tenant: tenant, name: "kube1", kind: .kubernetes, hosts: [hosts[0]]), scope: .admin)
        return (Cloud(store: store, tenant: tenant, hosts: hosts, web: web), scratch)
    }

    func request(_ container: String, interface: String = "eth0", switch name: String = "web", tenant: String = "acme",
                 cluster: String = "kube1", ip: String? = nil) -> RuntimePortRequest {
        RuntimePortRequest(tenant: tenant, switch: name, cluster: cluster, ip: ip, labels: ["app": "web"], runtime: "cni",
                           containerID: container, interface: interface)
    }

    @Test func labelsLearnedLaterAreMergedIntoTheContainersPorts() async throws {
        let (cloud, scratch) = try await cloud()
        defer { scratch.remove() }
        let created = try await cloud.store.createRuntimePort(request("0123456789abcdef"), host: cloud.hosts[0]).value
        let labelled = try await cloud.store.labelRuntimePorts(host: cloud.hosts[0], runtime: "cni", containerID: "0123456789abcdef",
                                                               labels: ["app": "front", "tier": "1"])
        #expect(labelled.value == [created.id])
        let port = try await cloud.store.port(created.id, scope: .admin)
        #expect(port.labels == ["app": "front", "tier": "1"] && port.revision == labelled.revision)
        #expect(try await cloud.store.labelRuntimePorts(host: cloud.hosts[1], runtime: "cni", containerID: "0123456789abcdef",
                                                        labels: ["app": "x"]).value.isEmpty, "another host's runtime owns nothing here")
        await #expect(throws: ModelError.self) {
            _ = try await cloud.store.labelRuntimePorts(host: cloud.hosts[0], runtime: "cni", containerID: "0123456789abcdef", labels: ["": "x"])
        }
    }

    @Test func withoutAClusterTheTenantsOneClusterOfTheHostIsTaken() async throws {
        let (cloud, scratch) = try await cloud()
        defer { scratch.remove() }
        let created = try await cloud.store.createRuntimePort(request("0123456789abcdef", cluster: ""), host: cloud.hosts[0]).value
        let kube1 = try #require(try await cloud.store.clusters(ListQuery(), scope: .admin).items.first { $0.name == "kube1" })
        #expect(created.cluster == kube1.id)
        await #expect(throws: ModelError(.forbidden, field: "cluster", "this host is in none of the tenant's clusters")) {
            _ = try await cloud.store.createRuntimePort(request("fedcba9876543210", cluster: ""), host: cloud.hosts[1])
        }
        _ = try await cloud.store.createCluster(ClusterCreate(tenant: cloud.tenant, name: "swarm1", kind: .swarm, hosts: cloud.hosts), scope: .admin)
        await #expect(throws: ModelError(.invalidValue, field: "cluster", "this host is in several of the tenant's clusters (kube1, swarm1): name one")) {
            _ = try await cloud.store.createRuntimePort(request("aaaaaaaaaaaaaaaa", cluster: ""), host: cloud.hosts[0])
        }
    }

    @Test func aClusterHostGetsOnePortPerAttachmentOthersNone() async throws {
        let (cloud, scratch) = try await cloud()
        defer { scratch.remove() }
        let created = try await cloud.store.createRuntimePort(request("0123456789abcdef", ip: "10.0.0.9"), host: cloud.hosts[0]).value
        #expect(created.host == cloud.hosts[0] && created.switch == cloud.web && created.ip == "10.0.0.9" && created.labels == ["app": "web"])
        #expect(created.owner == PortOwner(host: cloud.hosts[0], runtime: "cni", containerID: "0123456789abcdef", interface: "eth0"))
        #expect(created.name == "cni-0123456789ab-eth0" && created.cluster != nil)
        let again = try await cloud.store.createRuntimePort(request("0123456789abcdef"), host: cloud.hosts[0]).value
        #expect(again.id == created.id && again.revision == created.revision, "the same attachment asking again")

        await #expect(throws: ModelError(.forbidden, field: "cluster", "this host is not one of cluster kube1's hosts")) {
            _ = try await cloud.store.createRuntimePort(request("fedcba9876543210"), host: cloud.hosts[1])
        }
        await #expect(throws: ModelError.notFound("switch", "theirs", field: "switch"), "another tenant's switch") {
            _ = try await cloud.store.createRuntimePort(request("fedcba9876543210", switch: "theirs"), host: cloud.hosts[0])
        }
        await #expect(throws: ModelError.self, "a container id that is not one") {
            _ = try await cloud.store.createRuntimePort(request("../../x y"), host: cloud.hosts[0])
        }
        let ports = try await cloud.store.ports(ListQuery(), scope: .admin).items
        #expect(ports.map(\.id) == [created.id], "refusals wrote nothing")
    }

    @Test func deleteAndGarbageCollectionFindPortsByOwner() async throws {
        let (cloud, scratch) = try await cloud()
        defer { scratch.remove() }
        let a = try await cloud.store.createRuntimePort(request("aaaa"), host: cloud.hosts[0]).value
        let a1 = try await cloud.store.createRuntimePort(request("aaaa", interface: "net1"), host: cloud.hosts[0]).value
        let b = try await cloud.store.createRuntimePort(request("bbbb"), host: cloud.hosts[0]).value
        let c = try await cloud.store.createRuntimePort(request("cccc"), host: cloud.hosts[0]).value

        #expect(try await cloud.store.deleteRuntimePorts(host: cloud.hosts[1], runtime: "cni", containerID: "aaaa", interface: nil).value
            .isEmpty, "another host cannot delete them")
        #expect(try await cloud.store.deleteRuntimePorts(host: cloud.hosts[0], runtime: "cni", containerID: "aaaa", interface: "net1").value
            == [a1.id])
        #expect(try await cloud.store.deleteRuntimePorts(host: cloud.hosts[0], runtime: "cni", containerID: "aaaa", interface: "net1").value
            .isEmpty, "DEL twice")
        let collected = try await cloud.store.collectRuntimePorts(host: cloud.hosts[0], runtime: "cni", tenant: "acme", switch: "web",
                                                                  keep: [RuntimeAttachmentKey(containerID: "bbbb", interface: "eth0")]).value
        #expect(Set(collected) == [a.id, c.id])
        #expect(try await cloud.store.ports(ListQuery(), scope: .admin).items.map(\.id) == [b.id])
    }
}
