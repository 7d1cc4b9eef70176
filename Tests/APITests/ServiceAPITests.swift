import Foundation
import HTTPTypes
import Testing

/// Services: the VIP a router's clients use, its ports and selector, and the endpoints it picks.
@Suite struct ServiceAPITests {
    @Test func aServiceTakesAFreeVIPOfItsRouterAndListsItsSelectedEndpoints() async throws {
        let api = try await TestAPI()
        defer { api.removeStore() }
        let tenant = try await api.create("/v1/tenants", ["name": "acme", "quotas": ["services": 2]]).string("id")
        let token = try await api.create("/v1/tenants/\(tenant)/tokens", [:]).string("token")
        let hv1 = try await api.create("/v1/hosts", ["name": "hv1", "address": "198.18.0.11"]).string("id")
        let web = try await api.create("/v1/switches", ["name": "web", "cidr": "10.96.0.0/29"], token: token).string("id")
        let app = try await api.create("/v1/switches", ["name": "app", "cidr": "10.1.0.0/24"], token: token).string("id")
        let lone = try await api.create("/v1/switches", ["name": "lone", "cidr": "10.2.0.0/24"], token: token).string("id")
        let router = try await api.create("/v1/routers", ["name": "r1"], token: token).string("id")
        for sw in [web, app] { _ = try await api.create("/v1/routers/\(router)/interfaces", ["switch": sw], token: token) }
        _ = try await api.create("/v1/ports", ["switch": app, "name": "a1", "ip": "10.1.0.5", "host": hv1, "labels": ["app": "db"]])
        _ = try await api.create("/v1/ports", ["switch": app, "name": "a2", "ip": "10.1.0.4", "host": hv1, "labels": ["app": "db", "x": "y"]])
        _ = try await api.create("/v1/ports", ["switch": app, "name": "unbound", "ip": "10.1.0.6", "labels": ["app": "db"]])
        _ = try await api.create("/v1/ports", ["switch": app, "name": "other", "ip": "10.1.0.7", "host": hv1, "labels": ["app": "web"]])
        _ = try await api.create("/v1/ports", ["switch": lone, "name": "off-router", "ip": "10.2.0.5", "host": hv1, "labels": ["app": "db"]])

        let body: [String: Any] = ["name": "db", "router": router, "ports": [["protocol": "tcp", "port": 5432]], "selector": ["labels": ["app": "db"]]]
        let service = try await api.create("/v1/services", body, token: token)
        #expect(service.string("id").hasPrefix("sv-"))
        #expect(service.string("vip") == "10.96.0.8", "10.96.0.1 to .7 are on the router's switch web")
        #expect(service.string("algorithm") == "random")
        let endpoints = try await api.call(.get, "/v1/services/\(service.string("id"))/endpoints", token: token).items
        #expect(endpoints.map { $0.string("ip") } == ["10.1.0.4", "10.1.0.5"], "bound, labelled ports of the router's switches, by address")
        #expect(endpoints.first?.string("host") == hv1)

        try await expectRefusal(api, .post, "/v1/services", token: token, body: body.merging(["name": "db2", "vip": "10.96.0.8"]) { $1 },
                                status: 409, code: "ip_taken", field: "vip")
        try await expectRefusal(api, .post, "/v1/services", token: token, body: body.merging(["name": "db2", "vip": "10.1.0.9"]) { $1 },
                                status: 400, code: "invalid_value", field: "vip")
        try await expectRefusal(api, .post, "/v1/services", token: token,
                                body: body.merging(["name": "db2", "ports": [["protocol": "sctp", "port": 1]]]) { $1 }, status: 400, code: "invalid_value")
        try await expectRefusal(api, .post, "/v1/services", token: token,
                                body: body.merging(["name": "db2", "ports": [["protocol": "tcp", "port": 70000]]]) { $1 },
                                status: 400, code: "invalid_value", field: "ports[0].port")
        try await expectRefusal(api, .post, "/v1/services", token: token,
                                body: body.merging(["name": "db2", "ports": [["protocol": "udp", "port": 53], ["protocol": "udp", "port": 53]]]) { $1 },
                                status: 409, code: "conflict", field: "ports[1].port")
        try await expectRefusal(api, .post, "/v1/services", token: token, body: body, status: 409, code: "conflict")
        _ = try await api.create("/v1/services", body.merging(["name": "db2", "vip": "192.168.9.9"]) { $1 }, token: token)
        try await expectRefusal(api, .post, "/v1/services", token: token, body: body.merging(["name": "db3"]) { $1 },
                                status: 409, code: "quota_exceeded", field: "services")

        let patched = try await api.call(.patch, "/v1/services/\(service.string("id"))", token: token,
                                         body: ["selector": ["labels": ["x": "y"]], "algorithm": "source-hash"])
        #expect(patched.status == 200 && patched.json["algorithm"] as? String == "source-hash")
        #expect(try await api.call(.get, "/v1/services/\(service.string("id"))/endpoints", token: token).items.map { $0.string("ip") } == ["10.1.0.4"])
        try await expectRefusal(api, .delete, "/v1/routers/\(router)", token: token, status: 409, code: "in_use")
        #expect(try await api.call(.get, "/v1/services?vip=192.168.9.9", token: token).items.count == 1)
    }

    @Test func anExternalServiceTakesAnAddressOfItsRoutersExternalPoolAndGivesItBack() async throws {
        let api = try await TestAPI()
        defer { api.removeStore() }
        let tenant = try await api.create("/v1/tenants", ["name": "acme"]).string("id")
        let token = try await api.create("/v1/tenants/\(tenant)/tokens", [:]).string("token")
        let corp = try await api.create("/v1/external-networks", ["name": "corp", "cidr": "203.0.113.0/24", "gateway": "203.0.113.1",
                                                                   "poolStart": "203.0.113.10", "poolEnd": "203.0.113.12"]).string("id")
        let other = try await api.create("/v1/external-networks", ["name": "other", "cidr": "198.51.100.0/24"]).string("id")
        let router = try await api.create("/v1/routers", ["name": "r1", "externalNetwork": corp], token: token)
        #expect(router.string("uplinkIp") == "203.0.113.10")
        let inside = try await api.create("/v1/routers", ["name": "inside"], token: token).string("id")
        let body: [String: Any] = ["name": "web", "router": router.string("id"), "type": "external", "ports": [["protocol": "tcp", "port": 80]]]

        let service = try await api.create("/v1/services", body, token: token)
        #expect(service.string("type") == "external" && service.string("externalIp") == "203.0.113.11")
        #expect(service.string("vip") == "10.96.0.1", "an external service has its VIP inside too")
        #expect(try await api.call(.get, "/v1/services?type=external", token: token).items.count == 1)
        try await expectRefusal(api, .get, "/v1/services?type=public", token: token, status: 400, code: "invalid_query", field: "type")
        let inner = try await api.create("/v1/services", ["name": "db", "router": router.string("id"), "ports": [["protocol": "tcp", "port": 5432]]],
                                            token: token)
        #expect(inner.string("type") == "internal" && inner["externalIp"] == nil)

        try await expectRefusal(api, .post, "/v1/services", token: token, body: body.merging(["name": "x", "router": inside]) { $1 },
                                status: 409, code: "conflict", field: "type")
        try await expectRefusal(api, .post, "/v1/services", token: token,
                                body: body.merging(["name": "x", "type": "internal", "externalIp": "203.0.113.12"]) { $1 },
                                status: 400, code: "invalid_value", field: "externalIp")
        try await expectRefusal(api, .post, "/v1/services", token: token, body: body.merging(["name": "x", "externalIp": "203.0.113.99"]) { $1 },
                                status: 400, code: "ip_out_of_range", field: "externalIp")
        try await expectRefusal(api, .post, "/v1/services", token: token, body: body.merging(["name": "x", "externalIp": "203.0.113.11"]) { $1 },
                                status: 409, code: "ip_taken", field: "externalIp")
        // externalIp alone makes a service external.
        var implied = body
        implied["type"] = nil
        let second = try await api.create("/v1/services", implied.merging(["name": "web2", "externalIp": "203.0.113.12"]) { $1 }, token: token)
        #expect(second.string("type") == "external")
        try await expectRefusal(api, .post, "/v1/services", token: token, body: body.merging(["name": "web3"]) { $1 },
                                status: 409, code: "pool_exhausted", field: "externalIp")

        // The router keeps its external network while it has external services.
        try await expectRefusal(api, .patch, "/v1/routers/\(router.string("id"))", token: token, body: ["externalNetwork": other],
                                status: 409, code: "in_use", field: "externalNetwork")
        try await expectRefusal(api, .patch, "/v1/routers/\(router.string("id"))", token: token, body: ["externalNetwork": NSNull()],
                                status: 409, code: "in_use", field: "externalNetwork")
        #expect(try await api.call(.patch, "/v1/routers/\(router.string("id"))", token: token, body: ["snat": false]).status == 200)

        // Deleting a service returns its address to the pool.
        #expect(try await api.call(.delete, "/v1/services/\(service.string("id"))", token: token).status == 200)
        let floating = try await api.create("/v1/floating-ips", ["externalNetwork": corp, "address": "203.0.113.11"], token: token)
        #expect(floating.string("address") == "203.0.113.11")
    }

    @Test func aHeadlessServiceHasNoVIPAndTakesNoneFromTheRange() async throws {
        let api = try await TestAPI()
        defer { api.removeStore() }
        let tenant = try await api.create("/v1/tenants", ["name": "acme"]).string("id")
        let token = try await api.create("/v1/tenants/\(tenant)/tokens", [:]).string("token")
        let router = try await api.create("/v1/routers", ["name": "r1"], token: token).string("id")
        let body: [String: Any] = ["name": "peers", "router": router, "type": "headless", "ports": [["protocol": "udp", "port": 7946]]]
        let peers = try await api.create("/v1/services", body, token: token)
        #expect(peers.string("type") == "headless" && peers["vip"] == nil, "\(peers)")
        let second = try await api.create("/v1/services", body.merging(["name": "peers2"]) { $1 }, token: token)
        #expect(second["vip"] == nil, "headless services do not collide on a missing VIP")
        let balanced = try await api.create("/v1/services", ["name": "web", "router": router, "ports": [["protocol": "tcp", "port": 80]]], token: token)
        #expect(balanced.string("vip") == "10.96.0.1", "the range's first address is still free")
        try await expectRefusal(api, .post, "/v1/services", token: token, body: body.merging(["name": "x", "vip": "10.96.0.9"]) { $1 },
                                status: 400, code: "invalid_value", field: "vip")
        try await expectRefusal(api, .post, "/v1/services", token: token, body: body.merging(["name": "x", "externalIp": "203.0.113.9"]) { $1 },
                                status: 400, code: "invalid_value", field: "externalIp")
        #expect(try await api.call(.get, "/v1/services?type=headless", token: token).items.map { $0.string("name") }.sorted() == ["peers", "peers2"])
    }

    @Test func anExternalNetworkListsItsResolversAndAnAdminReplacesThem() async throws {
        let api = try await TestAPI()
        defer { api.removeStore() }
        let corp = try await api.create("/v1/external-networks", ["name": "corp", "cidr": "203.0.113.0/24", "dnsServers": ["203.0.113.53"]])
        #expect(corp["dnsServers"] as? [String] == ["203.0.113.53"])
        let plain = try await api.create("/v1/external-networks", ["name": "plain", "cidr": "198.51.100.0/24"])
        #expect(plain["dnsServers"] as? [String] == [])
        let id = corp.string("id")
        let patched = try await api.call(.patch, "/v1/external-networks/\(id)", body: ["dnsServers": ["203.0.113.53", "192.0.2.53"]])
        #expect(patched.status == 200 && patched.json["dnsServers"] as? [String] == ["203.0.113.53", "192.0.2.53"])
        try await expectRefusal(api, .patch, "/v1/external-networks/\(id)", body: ["dnsServers": ["203.0.113.530"]],
                                status: 400, code: "invalid_ip", field: "dnsServers")
        try await expectRefusal(api, .patch, "/v1/external-networks/\(id)", body: ["dnsServers": ["192.0.2.1", "192.0.2.1"]],
                                status: 400, code: "invalid_value", field: "dnsServers")
        try await expectRefusal(api, .patch, "/v1/external-networks/\(id)", body: ["dnsServers": ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"]],
                                status: 400, code: "invalid_value", field: "dnsServers")
        #expect(try await api.call(.get, "/v1/external-networks/\(id)").json["dnsServers"] as? [String] == ["203.0.113.53", "192.0.2.53"],
                "a refused change changes nothing")
        let tenant = try await api.create("/v1/tenants", ["name": "acme"]).string("id")
        let token = try await api.create("/v1/tenants/\(tenant)/tokens", [:]).string("token")
        try await expectRefusal(api, .patch, "/v1/external-networks/\(id)", token: token, body: ["dnsServers": []], status: 403, code: "forbidden")
    }

    @Test func anotherTenantsRouterAndServicesStayOutOfReach() async throws {
        let api = try await TestAPI()
        defer { api.removeStore() }
        let acme = try await api.create("/v1/tenants", ["name": "acme"]).string("id")
        let acmeToken = try await api.create("/v1/tenants/\(acme)/tokens", [:]).string("token")
        let globex = try await api.create("/v1/tenants", ["name": "globex"]).string("id")
        let globexToken = try await api.create("/v1/tenants/\(globex)/tokens", [:]).string("token")
        let router = try await api.create("/v1/routers", ["name": "r1"], token: acmeToken).string("id")
        let foreignCluster = try await api.create("/v1/clusters", ["name": "k", "kind": "kubernetes"], token: globexToken).string("id")
        let body: [String: Any] = ["name": "web", "router": router, "ports": [["protocol": "tcp", "port": 80]]]
        try await expectRefusal(api, .post, "/v1/services", token: globexToken, body: body, status: 404, code: "not_found", field: "router")
        try await expectRefusal(api, .post, "/v1/services", token: acmeToken,
                                body: body.merging(["selector": ["cluster": foreignCluster]]) { $1 },
                                status: 404, code: "not_found", field: "selector.cluster")
        let service = try await api.create("/v1/services", body, token: acmeToken).string("id")
        try await expectRefusal(api, .get, "/v1/services/\(service)", token: globexToken, status: 404, code: "not_found")
        try await expectRefusal(api, .get, "/v1/services/\(service)/endpoints", token: globexToken, status: 404, code: "not_found")
        #expect(try await api.call(.get, "/v1/services", token: globexToken).items.isEmpty)
    }

    @Test func healthChecksAreValidatedAndOnlyAdminsRunCommands() async throws {
        let api = try await TestAPI()
        defer { api.removeStore() }
        let tenant = try await api.create("/v1/tenants", ["name": "acme"]).string("id")
        let token = try await api.create("/v1/tenants/\(tenant)/tokens", [:]).string("token")
        let router = try await api.create("/v1/routers", ["name": "r1"], token: token).string("id")
        var body: [String: Any] = ["name": "web", "router": router, "ports": [["protocol": "tcp", "port": 80]]]
        for (check, field) in [(["type": "http", "path": "healthz"], "healthCheck.path"), (["type": "tcp", "path": "/x"], "healthCheck.path"),
                               (["type": "http", "interval": 0], "healthCheck.interval"), (["type": "tcp", "fall": 11], "healthCheck.fall"),
                               (["type": "tcp", "command": ["/bin/true"]], "healthCheck.command"),
                               (["type": "http", "path": "/a b"], "healthCheck.path")] as [([String: Any], String)] {
            try await expectRefusal(api, .post, "/v1/services", token: token, body: body.merging(["healthCheck": check]) { $1 },
                                    status: 400, code: "invalid_value", field: field)
        }
        let script: [String: Any] = ["type": "script", "command": ["/usr/local/bin/probe"]]
        try await expectRefusal(api, .post, "/v1/services", token: token, body: body.merging(["healthCheck": script]) { $1 },
                                status: 403, code: "forbidden", field: "healthCheck.type")
        body["healthCheck"] = ["type": "http", "path": "/healthz", "expectStatus": 204]
        let created = try await api.create("/v1/services", body, token: token)
        #expect((created["healthCheck"] as? [String: Any])?["expectStatus"] as? Int == 204)
        let id = created.string("id")
        let scripted = try await api.call(.patch, "/v1/services/\(id)", body: ["healthCheck": script])
        #expect(scripted.status == 200, "an admin sets a script check")
        try await expectRefusal(api, .patch, "/v1/services/\(id)", token: token, rawBody: #"{"healthCheck": null}"#,
                                status: 403, code: "forbidden", field: "healthCheck")
        let removed = try await api.call(.patch, "/v1/services/\(id)", rawBody: #"{"healthCheck": null}"#)
        #expect(removed.status == 200 && removed.json["healthCheck"] == nil)
    }
}
