import Foundation
import HTTPTypes
import Testing

/// Clusters: a tenant's groups of workloads, the hosts only an admin places them on, and the ports
/// that belong to them.
@Suite struct ClusterTests {
    @Test func aTenantCreatesClustersAndAnAdminPlacesThem() async throws {
        let api = try await TestAPI()
        defer { api.removeStore() }
        let tenant = try await api.create("/v1/tenants", ["name": "tano-tenant", "quotas": ["clusters": 1]]).string("id")
        let token = try await api.create("/v1/tenants/\(tenant)/tokens", [:]).string("token")
        let project = try await api.create("/v1/projects", ["name": "tano-project"], token: token).string("id")
        let hv1 = try await api.create("/v1/hosts", ["name": "hv1", "address": "198.18.0.11"]).string("id")

        try await expectRefusal(api, .post, "/v1/clusters", token: token,
                                body: ["name": "tano-kube1", "kind": "kubernetes", "hosts": [hv1]], status: 403, code: "forbidden", field: "hosts")
        let cluster = try await api.create("/v1/clusters", ["name": "tano-kube1", "kind": "kubernetes", "project": project], token: token)
        #expect(cluster["tenant"] as? String == tenant && cluster["project"] as? String == project)
        #expect(cluster["hosts"] as? [String] == [])
        let id = cluster.string("id")
        #expect(id.hasPrefix("cl-"))
        try await expectRefusal(api, .post, "/v1/clusters", token: token, body: ["name": "second", "kind": "vms"],
                                status: 409, code: "quota_exceeded", field: "clusters")
        try await expectRefusal(api, .post, "/v1/clusters", token: token, body: ["name": "x", "kind": "KUBERNETES"],
                                status: 400, code: "invalid_value")

        try await expectRefusal(api, .patch, "/v1/clusters/\(id)", body: ["hosts": ["hs-0000000000000000"]], status: 404, code: "not_found",
                                field: "hosts")
        let placed = try await api.call(.patch, "/v1/clusters/\(id)", body: ["hosts": [hv1, hv1]])
        #expect(placed.status == 200)
        #expect(placed.json["hosts"] as? [String] == [hv1], "a host named twice counts once")
        try await expectRefusal(api, .patch, "/v1/clusters/\(id)", token: token, body: ["hosts": []], status: 403, code: "forbidden")
        try await expectRefusal(api, .delete, "/v1/hosts/\(hv1)", status: 409, code: "in_use")

        #expect(try await api.call(.get, "/v1/clusters?kind=kubernetes", token: token).items.count == 1)
        #expect(try await api.call(.get, "/v1/clusters?kind=vms", token: token).items.isEmpty)
        try await expectRefusal(api, .get, "/v1/clusters?kind=mainframe", token: token, status: 400, code: "invalid_query", field: "kind")
    }

    @Test func portsBelongToClustersOfTheirOwnTenant() async throws {
        let api = try await TestAPI()
        defer { api.removeStore() }
        let tenant = try await api.create("/v1/tenants", ["name": "acme"]).string("id")
        let token = try await api.create("/v1/tenants/\(tenant)/tokens", [:]).string("token")
        let other = try await api.create("/v1/tenants", ["name": "globex"]).string("id")
        let foreign = try await api.create("/v1/clusters", ["tenant": other, "name": "kube", "kind": "kubernetes"]).string("id")
        let cluster = try await api.create("/v1/clusters", ["name": "kube", "kind": "kubernetes"], token: token).string("id")
        let sw = try await api.create("/v1/switches", ["name": "web", "cidr": "10.0.0.0/24"], token: token).string("id")

        try await expectRefusal(api, .post, "/v1/ports", token: token, body: ["switch": sw, "name": "p", "cluster": foreign],
                                status: 404, code: "not_found", field: "cluster")
        try await expectRefusal(api, .post, "/v1/ports", body: ["switch": sw, "name": "p", "cluster": foreign],
                                status: 404, code: "not_found", field: "cluster")
        let port = try await api.create("/v1/ports", ["switch": sw, "name": "p", "cluster": cluster], token: token)
        #expect(port["cluster"] as? String == cluster)
        #expect(try await api.call(.get, "/v1/ports?cluster=\(cluster)", token: token).items.count == 1)
        try await expectRefusal(api, .delete, "/v1/clusters/\(cluster)", token: token, status: 409, code: "in_use")
        let left = try await api.call(.patch, "/v1/ports/\(port.string("id"))", token: token, rawBody: #"{"cluster": null}"#)
        #expect(left.status == 200 && left.json["cluster"] == nil)
        #expect(try await api.call(.delete, "/v1/clusters/\(cluster)", token: token).status == 200)
    }
}
