import Foundation
import Testing

/// The happy path of every resource: create, get, list, update, delete, with revisions that only go up.
@Suite struct ResourceLifecycleTests {
    @Test func tenantProjectAndTokenLifecycle() async throws {
        let api = try await TestAPI()
        defer { api.removeStore() }
        let tenant = try await api.create("/v1/tenants", ["name": "acme", "quotas": ["switches": 5], "labels": ["team": "infra"]])
        let id = tenant.string("id")
        #expect(id.hasPrefix("tn-"))
        #expect((tenant["quotas"] as? [String: Int])?["switches"] == 5)
        #expect((tenant["quotas"] as? [String: Int])?["ports"] == 10_000)

        let fetched = try await api.call(.get, "/v1/tenants/\(id)")
        #expect(fetched.status == 200 && fetched.json.string("name") == "acme")

        let updated = try await api.call(.patch, "/v1/tenants/\(id)", body: ["quotas": ["ports": 7]])
        #expect(updated.status == 200)
        #expect((updated.json["quotas"] as? [String: Int])?["ports"] == 7)
        #expect((updated.json["quotas"] as? [String: Int])?["switches"] == 5)
        #expect(updated.headers[.init("X-Switchyard-Revision")!] == "\(updated.json["revision"] as? Int ?? -1)")

        let project = try await api.create("/v1/projects", ["tenant": id, "name": "web"])
        #expect(project.string("tenant") == id)
        let projects = try await api.call(.get, "/v1/projects?tenant=\(id)")
        #expect(projects.items.map { $0.string("name") } == ["web"])

        let token = try await api.create("/v1/tenants/\(id)/tokens", [:])
        #expect(token.string("token").hasPrefix("syt_"))
        let tokens = try await api.call(.get, "/v1/tenants/\(id)/tokens")
        #expect(tokens.items.count == 1 && tokens.items[0]["token"] == nil, "a token's secret is shown only once")
        let ownView = try await api.call(.get, "/v1/tenants", token: token.string("token"))
        #expect(ownView.items.map { $0.string("id") } == [id])
        let revoked = try await api.call(.delete, "/v1/tenants/\(id)/tokens/\(token.string("id"))")
        #expect(revoked.status == 200)
        #expect(try await api.call(.get, "/v1/tenants", token: token.string("token")).status == 401)

        #expect(try await api.call(.delete, "/v1/tenants/\(id)").errorCode == "in_use")
        #expect(try await api.call(.delete, "/v1/projects/\(project.string("id"))").status == 200)
        let deleted = try await api.call(.delete, "/v1/tenants/\(id)")
        #expect(deleted.status == 200 && deleted.json.string("id") == id)
        #expect(try await api.call(.get, "/v1/tenants/\(id)").status == 404)
    }

    @Test func switchAndPortLifecycle() async throws {
        let api = try await TestAPI()
        defer { api.removeStore() }
        let tenant = try await api.create("/v1/tenants", ["name": "acme"]).string("id")
        let host = try await api.create("/v1/hosts", ["name": "hv1", "address": "198.18.0.11"])
        #expect(host.string("role") == "compute")
        let sw = try await api.create("/v1/switches", [
            "tenant": tenant, "name": "frontend", "cidr": "10.10.0.0/24", "cidr6": "fd00:10::/64", "labels": ["tier": "web"],
        ])
        #expect(sw.string("gateway") == "10.10.0.1")
        #expect(sw.string("gateway6") == "fd00:10::1")
        #expect(sw["mtu"] as? Int == 8950)
        #expect((1...16_777_215).contains(sw["vni"] as? Int ?? 0))
        let other = try await api.create("/v1/switches", ["tenant": tenant, "name": "backend", "cidr": "10.20.0.0/24", "mtu": 1400])
        #expect(other["vni"] as? Int != sw["vni"] as? Int)

        let port = try await api.create("/v1/ports", ["switch": sw.string("id"), "name": "web-1", "host": host.string("id"),
                                                      "labels": ["app": "web"]])
        #expect(port.string("ip") == "10.10.0.2")
        #expect(port.string("ip6") == "fd00:10::2")
        #expect(port.string("tenant") == tenant)
        let mac = port.string("mac")
        let firstOctet = UInt8(mac.prefix(2), radix: 16) ?? 0
        #expect(firstOctet & 0x02 != 0 && firstOctet & 0x01 == 0, "MACs are locally administered unicast: \(mac)")

        let fixed = try await api.create("/v1/ports", ["switch": sw.string("id"), "name": "db-1", "ip": "10.10.0.50",
                                                       "mac": "02:00:00:00:00:50"])
        #expect(fixed.string("ip") == "10.10.0.50" && fixed.string("mac") == "02:00:00:00:00:50")

        let unbound = try await api.call(.patch, "/v1/ports/\(port.string("id"))", body: ["host": NSNull()])
        #expect(unbound.status == 200 && unbound.json["host"] == nil)
        let relabelled = try await api.call(.patch, "/v1/switches/\(sw.string("id"))", body: ["mtu": 1400, "labels": ["tier": "front"]])
        #expect(relabelled.json["mtu"] as? Int == 1400)

        #expect(try await api.call(.delete, "/v1/switches/\(sw.string("id"))").errorCode == "in_use")
        for id in [port.string("id"), fixed.string("id")] {
            #expect(try await api.call(.delete, "/v1/ports/\(id)").status == 200)
        }
        #expect(try await api.call(.delete, "/v1/switches/\(sw.string("id"))").status == 200)
        #expect(try await api.call(.delete, "/v1/hosts/\(host.string("id"))").status == 200)
    }

    @Test func routerInterfacesRoutesUplinkAndFloatingIPs() async throws {
        let api = try await TestAPI()
        defer { api.removeStore() }
        let tenant = try await api.create("/v1/tenants", ["name": "acme"]).string("id")
        let external = try await api.create("/v1/external-networks", [
            "name": "corp", "cidr": "203.0.113.0/24", "gateway": "203.0.113.1", "poolStart": "203.0.113.10", "poolEnd": "203.0.113.20",
        ])
        let front = try await api.create("/v1/switches", ["tenant": tenant, "name": "front", "cidr": "10.10.0.0/24"])
        let back = try await api.create("/v1/switches", ["tenant": tenant, "name": "back", "cidr": "10.20.0.0/24"])
        let router = try await api.create("/v1/routers", ["tenant": tenant, "name": "r1", "externalNetwork": external.string("id")])
        #expect(router.string("uplinkIp") == "203.0.113.10")
        #expect(router["snat"] as? Bool == true)
        // A transit segment's VNI comes from the switches' pool: no segment shares a VNI.
        let third = try await api.create("/v1/switches", ["tenant": tenant, "name": "third", "cidr": "10.30.0.0/24"])
        let vnis = [front, back, third].map { $0["vni"] as? Int ?? 0 } + [router["transitVni"] as? Int ?? 0]
        #expect(Set(vnis).count == 4 && !vnis.contains(0), "\(vnis)")
        let rid = router.string("id")

        let leg = try await api.create("/v1/routers/\(rid)/interfaces", ["switch": front.string("id")])
        #expect(leg.string("ip") == "10.10.0.1", "an interface takes the switch's gateway address by default")
        _ = try await api.create("/v1/routers/\(rid)/interfaces", ["switch": back.string("id"), "ip": "10.20.0.1"])
        let legs = try await api.call(.get, "/v1/routers/\(rid)/interfaces")
        #expect(Set(legs.items.map { $0.string("switch") }) == [front.string("id"), back.string("id")])

        let port = try await api.create("/v1/ports", ["switch": front.string("id"), "name": "gw-vm"])
        let route = try await api.create("/v1/routers/\(rid)/routes", ["destination": "10.99.0.0/16", "nexthop": port.string("ip")])
        #expect(route.string("destination") == "10.99.0.0/16")
        #expect(try await api.call(.get, "/v1/routers/\(rid)/routes").items.count == 1)

        let floating = try await api.create("/v1/floating-ips", ["tenant": tenant, "externalNetwork": external.string("id"),
                                                                 "port": port.string("id")])
        #expect(floating.string("address") == "203.0.113.11")
        #expect(floating.string("port") == port.string("id"))
        let dissociated = try await api.call(.patch, "/v1/floating-ips/\(floating.string("id"))", body: ["port": NSNull()])
        #expect(dissociated.status == 200 && dissociated.json["port"] == nil)
        let reassociated = try await api.call(.patch, "/v1/floating-ips/\(floating.string("id"))", body: ["port": port.string("id")])
        #expect(reassociated.json.string("port") == port.string("id"))

        let noUplink = try await api.call(.patch, "/v1/routers/\(rid)", body: ["externalNetwork": NSNull()])
        #expect(noUplink.status == 200 && noUplink.json["uplinkIp"] == nil)
        let again = try await api.call(.patch, "/v1/routers/\(rid)", body: ["externalNetwork": external.string("id"), "snat": false])
        let uplink = again.json.string("uplinkIp")
        #expect(uplink.hasPrefix("203.0.113.") && uplink != floating.string("address"), "a fresh uplink address from the pool: \(uplink)")
        #expect(again.json["snat"] as? Bool == false)

        #expect(try await api.call(.delete, "/v1/routers/\(rid)").errorCode == "in_use")
        #expect(try await api.call(.delete, "/v1/external-networks/\(external.string("id"))").errorCode == "in_use")
        #expect(try await api.call(.delete, "/v1/routers/\(rid)/routes/\(route.string("id"))").status == 200)
        #expect(try await api.call(.delete, "/v1/routers/\(rid)/interfaces/\(leg.string("id"))").status == 200)
        #expect(try await api.call(.delete, "/v1/ports/\(port.string("id"))").status == 200)
        let orphan = try await api.call(.get, "/v1/floating-ips/\(floating.string("id"))")
        #expect(orphan.status == 200 && orphan.json["port"] == nil, "deleting a port dissociates its floating IP")
        #expect(try await api.call(.delete, "/v1/floating-ips/\(floating.string("id"))").status == 200)
    }

    @Test func revisionCountsEveryCommittedMutation() async throws {
        let api = try await TestAPI()
        defer { api.removeStore() }
        let before = try await api.call(.get, "/v1/revision").json["revision"] as? Int
        let tenant = try await api.create("/v1/tenants", ["name": "acme"])
        let after = try await api.call(.get, "/v1/revision").json["revision"] as? Int
        #expect(before == 0)
        #expect(after == 1 && tenant["revision"] as? Int == 1)
    }

    @Test func listsFilterByLabelAndPageThroughEverything() async throws {
        let api = try await TestAPI()
        defer { api.removeStore() }
        let tenant = try await api.create("/v1/tenants", ["name": "acme"]).string("id")
        let sw = try await api.create("/v1/switches", ["tenant": tenant, "name": "s", "cidr": "10.0.0.0/24"]).string("id")
        for index in 0..<7 {
            _ = try await api.create("/v1/ports", ["switch": sw, "name": "p\(index)", "labels": ["app": index % 2 == 0 ? "web" : "db"]])
        }
        let web = try await api.call(.get, "/v1/ports?label=app=web")
        #expect(web.items.count == 4)
        #expect(web.items.allSatisfy { ($0["labels"] as? [String: String])?["app"] == "web" })
        var seen: [String] = []
        var cursor: String?
        repeat {
            let page = try await api.call(.get, "/v1/ports?limit=3" + (cursor.map { "&cursor=\($0)" } ?? ""))
            #expect(page.items.count <= 3)
            seen += page.items.map { $0.string("name") }
            cursor = page.json["next"] as? String
        } while cursor != nil
        #expect(seen.sorted() == (0..<7).map { "p\($0)" })
        #expect(try await api.call(.get, "/v1/ports?switch=\(sw)&name=p3").items.count == 1)
    }
}
