import Foundation
import Testing

extension EndToEnd {
    /// DNS on every host: a workload asks its gateway for its tenant's services and workloads
    /// with real resolvers (`dig`, and the libc resolver through `getent`), over UDP and TCP.
    @Suite struct DNSTests {
        /// `dig` from workload `name` against `server`, short answers, one per line.
        static func dig(_ cloud: SimulatedCloud, from name: String, _ arguments: [String], server: String = "10.0.0.1") async throws -> [String] {
            let output = try await SimulatedCloud.run(["ip", "netns", "exec", cloud.namespace("w-\(name)"), "dig", "@\(server)", "+short",
                                                       "+time=1", "+tries=2"] + arguments, check: false).output
            return output.split(separator: "\n").map(String.init).filter { !$0.hasPrefix(";") }
        }

        /// The status dig reports (`NOERROR`, `NXDOMAIN`, …).
        static func status(_ cloud: SimulatedCloud, from name: String, _ query: String, server: String = "10.0.0.1") async throws -> String {
            let output = try await SimulatedCloud.run(["ip", "netns", "exec", cloud.namespace("w-\(name)"), "dig", "@\(server)", "+time=1",
                                                       "+tries=2", query], check: false).output
            return output.split(separator: "\n").first { $0.contains("status:") }
                .flatMap { $0.split(separator: ",").first { $0.contains("status:") } }
                .map { $0.split(separator: ":").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" } ?? "no answer"
        }

        @Test func workloadsResolveTheirTenantsServicesAndWorkloadsAndNothingOfAnothers() async throws {
            try await SimulatedCloud.withCloud { cloud in
                try await cloud.start(hostCount: 2)
                let acme = try await cloud.api("POST", "/tenants", ["name": "acme"])["id"] as? String ?? ""
                let shop = try await cloud.api("POST", "/projects", ["tenant": acme, "name": "shop"])["id"] as? String ?? ""
                let frontend = try await cloud.api("POST", "/switches", ["tenant": acme, "name": "frontend", "cidr": "10.0.0.0/24"])["id"] as? String ?? ""
                let router = try await cloud.api("POST", "/routers", ["tenant": acme, "name": "r1"])["id"] as? String ?? ""
                _ = try await cloud.api("POST", "/routers/\(router)/interfaces", ["switch": frontend])
                try await cloud.port("web-1", on: frontend, host: 1, ip: "10.0.0.11", fields: ["labels": ["app": "web"]])
                try await cloud.port("c", on: frontend, host: 2, ip: "10.0.0.21")
                let service = try await cloud.api("POST", "/services?wait=realized&timeout=10s", [
                    "tenant": acme, "project": shop, "name": "web", "router": router, "selector": ["labels": ["app": "web"]],
                    "ports": [["name": "http", "protocol": "tcp", "port": 80, "targetPort": 8080]],
                ])
                let vip = service["vip"] as? String ?? ""
                // Another tenant, the same subnet, its own service.
                let globex = try await cloud.api("POST", "/tenants", ["name": "globex"])["id"] as? String ?? ""
                let otherSwitch = try await cloud.api("POST", "/switches", ["tenant": globex, "name": "frontend", "cidr": "10.0.0.0/24"])["id"] as? String ?? ""
                let otherRouter = try await cloud.api("POST", "/routers", ["tenant": globex, "name": "r1"])["id"] as? String ?? ""
                _ = try await cloud.api("POST", "/routers/\(otherRouter)/interfaces", ["switch": otherSwitch])
                try await cloud.port("g", on: otherSwitch, host: 2, ip: "10.0.0.21")
                _ = try await cloud.api("POST", "/services?wait=realized&timeout=10s", [
                    "tenant": globex, "name": "db", "router": otherRouter, "ports": [["protocol": "tcp", "port": 5432]],
                ])

                let name = "web.shop.acme.switchyard.internal"
                try await cloud.eventually("c resolves \(name)") { try await Self.dig(cloud, from: "c", [name]) == [vip] }
                #expect(try await Self.dig(cloud, from: "c", ["+tcp", name]) == [vip], "over TCP too")
                #expect(try await Self.dig(cloud, from: "c", ["_http._tcp.\(name)", "SRV"]) == ["0 100 80 \(name)."])
                #expect(try await Self.dig(cloud, from: "c", ["web-1.frontend.acme.switchyard.internal"]) == ["10.0.0.11"])
                #expect(try await Self.dig(cloud, from: "c", ["-x", "10.0.0.11"]) == ["web-1.frontend.acme.switchyard.internal."])
                #expect(try await Self.status(cloud, from: "c", "nothing.shop.acme.switchyard.internal") == "NXDOMAIN")
                // Another tenant's names do not exist for acme, exactly like names nobody made, and the other way round.
                #expect(try await Self.status(cloud, from: "c", "db.globex.switchyard.internal") == "NXDOMAIN")
                #expect(try await Self.status(cloud, from: "g", "db.globex.switchyard.internal") == "NOERROR")
                #expect(try await Self.status(cloud, from: "g", name) == "NXDOMAIN")

                // The libc resolver, with the gateway as nameserver and the project's domain to search.
                let namespace = cloud.namespace("w-c")
                let etc = "/etc/netns/\(namespace)"
                try FileManager.default.createDirectory(atPath: etc, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(atPath: etc) }
                try "nameserver 10.0.0.1\nsearch shop.acme.switchyard.internal\n".write(toFile: "\(etc)/resolv.conf", atomically: true, encoding: .utf8)
                let getent = try await SimulatedCloud.run(["ip", "netns", "exec", namespace, "getent", "hosts", "web"], check: false).output
                #expect(getent.hasPrefix(vip), "getent hosts web: \(getent)")
                // glibc sends A and AAAA in parallel from one socket; neither may be lost (the race
                // behind Kubernetes' five-second lookups): ten lookups, none near a resolver timeout.
                for _ in 0..<10 {
                    let started = ContinuousClock.now
                    let both = try await SimulatedCloud.run(["ip", "netns", "exec", namespace, "getent", "ahosts", "web"], check: false).output
                    #expect(both.contains(vip), "getent ahosts web: \(both)")
                    #expect(ContinuousClock.now - started < .seconds(2), "a lookup took \(ContinuousClock.now - started)")
                }

                // A workload holding TCP connections open gets at most 128 of them; DNS over TCP
                // works again once it lets go.
                let held = try await SimulatedCloud.run(["ip", "netns", "exec", cloud.namespace("w-c"), "python3", "-c", """
                    import socket, time
                    held = [socket.create_connection(("10.0.0.1", 53), 2) for _ in range(200)]
                    time.sleep(0.5)
                    open_ = 0
                    for s in held:
                        s.settimeout(0.05)
                        try:
                            open_ += s.recv(1) != b""
                        except socket.timeout:
                            open_ += 1
                        except OSError:
                            pass
                    print(open_)
                    """]).output
                #expect(Int(held.trimmingCharacters(in: .whitespacesAndNewlines)) == 128, "connections kept open: \(held)")
                try await cloud.eventually("DNS over TCP answers again") { try await Self.dig(cloud, from: "c", ["+tcp", name]) == [vip] }

                // A new service resolves within a second of its create returning.
                let created = ContinuousClock.now
                let api = try await cloud.api("POST", "/services", ["tenant": acme, "project": shop, "name": "api", "router": router,
                                                                    "ports": [["protocol": "tcp", "port": 443]]])
                let apiVIP = api["vip"] as? String ?? ""
                try await cloud.eventually("api.shop resolves", timeout: .seconds(5)) {
                    try await Self.dig(cloud, from: "c", ["api.shop.acme.switchyard.internal"]) == [apiVIP]
                }
                let visible = ContinuousClock.now - created
                print("dns-change-visible-ms: \(Int(visible / .milliseconds(1)))")
                #expect(visible < .seconds(1), "the new service answered \(visible) after its create")
            }
        }

        /// The corporate DNS of the test: dnsmasq in the external namespace at 203.0.113.53,
        /// authoritative for corp.example, which the hypervisors reach through the external
        /// network's router (at 198.18.0.254 on their wire). Returns its query log's path.
        static func startCorporateDNS(_ cloud: SimulatedCloud) async throws -> String {
            let ext = cloud.namespace("ext")
            try await SimulatedCloud.run(["ip", "-n", ext, "addr", "add", "198.18.0.254/24", "dev", "eth0"])
            try await SimulatedCloud.run(["ip", "-n", ext, "addr", "add", "203.0.113.53/32", "dev", "lo"])
            for index in 1...cloud.hosts.count {
                try await SimulatedCloud.run(["ip", "-n", cloud.namespace("hv\(index)"), "route", "add", "203.0.113.0/24", "via", "198.18.0.254"])
            }
            try SimulatedCloud.spawn(["ip", "netns", "exec", ext, "dnsmasq", "-k", "--no-resolv", "--no-hosts", "--bind-interfaces",
                                      "--listen-address=203.0.113.53", "--local=/corp.example/", "--host-record=www.corp.example,203.0.113.80",
                                      "--local-ttl=60", "--pid-file=", "--user=root", "--log-queries", "--log-facility=-"],
                                     log: cloud.work + "/dnsmasq.log")
            return cloud.work + "/dnsmasq.log"
        }

        @Test func headlessServicesAnswerTheirHealthyEndpointsAndOtherNamesGoToTheTenantsResolvers() async throws {
            try await SimulatedCloud.withCloud { cloud in
                try await cloud.start(hostCount: 2)
                let log = try await Self.startCorporateDNS(cloud)
                let corp = try await cloud.api("POST", "/external-networks", ["name": "corp", "cidr": "203.0.113.0/24", "gateway": "203.0.113.1",
                                                                               "dnsServers": ["203.0.113.53"]])["id"] as? String ?? ""
                let acme = try await cloud.api("POST", "/tenants", ["name": "acme"])["id"] as? String ?? ""
                let frontend = try await cloud.api("POST", "/switches", ["tenant": acme, "name": "frontend", "cidr": "10.0.0.0/24"])["id"] as? String ?? ""
                let router = try await cloud.api("POST", "/routers", ["tenant": acme, "name": "r1", "externalNetwork": corp])["id"] as? String ?? ""
                _ = try await cloud.api("POST", "/routers/\(router)/interfaces", ["switch": frontend])
                try await cloud.port("p1", on: frontend, host: 1, ip: "10.0.0.11", fields: ["labels": ["app": "peer"]])
                try await cloud.port("p2", on: frontend, host: 2, ip: "10.0.0.12", fields: ["labels": ["app": "peer"]])
                try await cloud.port("c", on: frontend, host: 2, ip: "10.0.0.21")
                for name in ["p1", "p2"] { try await ServiceTests.startNamedServer(cloud, in: name, port: 7000) }

                // A headless service: its name answers with the addresses of its healthy endpoints.
                let service = try await cloud.api("POST", "/services", [
                    "tenant": acme, "name": "peers", "router": router, "type": "headless", "selector": ["labels": ["app": "peer"]],
                    "ports": [["name": "gossip", "protocol": "tcp", "port": 7000]],
                    "healthCheck": ["type": "tcp", "interval": 1, "timeout": 1, "rise": 1, "fall": 2],
                ])
                #expect(service["vip"] == nil, "\(service)")
                let id = service["id"] as? String ?? ""
                let name = "peers.acme.switchyard.internal"
                try await cloud.eventually("both endpoints answer for \(name)") {
                    try await Self.dig(cloud, from: "c", [name]).sorted() == ["10.0.0.11", "10.0.0.12"]
                }
                #expect(try await Self.dig(cloud, from: "c", ["_gossip._tcp.\(name)", "SRV"]) == ["0 100 7000 \(name)."])
                // A watcher of services starts with the service's health and hears it change.
                try await cloud.eventually("both endpoints report healthy") {
                    let items = try await cloud.api("GET", "/services/\(id)/endpoints")["items"] as? [[String: Any]] ?? []
                    return items.count == 2 && items.allSatisfy { ($0["health"] as? [String: Any])?["healthy"] as? Bool == true }
                }
                let watchLog = "watch.log"
                try SimulatedCloud.spawn(["ip", "netns", "exec", cloud.namespace("ul"), "curl", "-sN", "-H", "Authorization: Bearer \(cloud.token)",
                                          "http://198.18.0.1:8080/v1/watch?kind=services"], log: cloud.work + "/" + watchLog)
                func healthEvents() -> [[String: Bool]] {
                    let text = (try? String(contentsOfFile: cloud.work + "/" + watchLog, encoding: .utf8)) ?? ""
                    return text.split(separator: "\n").compactMap { line in
                        guard let event = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                              event["type"] as? String == "health", event["id"] as? String == id else { return nil }
                        let items = (event["object"] as? [String: Any])?["items"] as? [[String: Any]] ?? []
                        return Dictionary(items.map { ($0["ip"] as? String ?? "", ($0["health"] as? [String: Any])?["healthy"] as? Bool ?? true) },
                                          uniquingKeysWith: { first, _ in first })
                    }
                }
                try await cloud.eventually("the watch starts with the service's health") { healthEvents().first == ["10.0.0.11": true, "10.0.0.12": true] }
                // An endpoint failing its check leaves the answer.
                try await ServiceTests.stopServers(cloud, in: "p2")
                try await cloud.eventually("p2 leaves \(name)", timeout: .seconds(10)) {
                    try await Self.dig(cloud, from: "c", [name]) == ["10.0.0.11"]
                }
                try await cloud.eventually("the watcher hears p2 fail") { healthEvents().last == ["10.0.0.11": true, "10.0.0.12": false] }
                let endpoints = try await cloud.api("GET", "/services/\(id)/endpoints")["items"] as? [[String: Any]] ?? []
                #expect(endpoints.first { $0["ip"] as? String == "10.0.0.12" }.flatMap { ($0["health"] as? [String: Any])?["healthy"] as? Bool } == false)

                // Names outside the zone go to the resolvers of the router's external network, and
                // their answers are cached: asked twice, the upstream hears it once.
                try await cloud.eventually("www.corp.example resolves through the corporate DNS") {
                    try await Self.dig(cloud, from: "c", ["www.corp.example"]) == ["203.0.113.80"]
                }
                #expect(try await Self.dig(cloud, from: "c", ["+tcp", "www.corp.example"]) == ["203.0.113.80"], "over TCP too")
                #expect(try await Self.dig(cloud, from: "c", ["www.corp.example"]) == ["203.0.113.80"])
                let queries = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n")
                    .filter { $0.contains("query[A] www.corp.example") }
                #expect(queries.count == 1, "the upstream heard \(queries.count) queries: \(queries)")
                #expect(try await Self.status(cloud, from: "c", "nothing.corp.example") == "NXDOMAIN")
                // The libc resolver too, with the zone to search.
                let namespace = cloud.namespace("w-c")
                let etc = "/etc/netns/\(namespace)"
                try FileManager.default.createDirectory(atPath: etc, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(atPath: etc) }
                try "nameserver 10.0.0.1\nsearch acme.switchyard.internal\n".write(toFile: "\(etc)/resolv.conf", atomically: true, encoding: .utf8)
                for lookup in ["peers", "www.corp.example"] {
                    let getent = try await SimulatedCloud.run(["ip", "netns", "exec", namespace, "getent", "hosts", lookup], check: false).output
                    #expect(getent.hasPrefix(lookup == "peers" ? "10.0.0.11" : "203.0.113.80"), "getent hosts \(lookup): \(getent)")
                }

                // Without resolvers on the external network, outside names are refused.
                _ = try await cloud.api("PATCH", "/external-networks/\(corp)", ["dnsServers": [String]()])
                try await cloud.eventually("outside names are refused") {
                    try await Self.status(cloud, from: "c", "other.corp.example") == "REFUSED"
                }
            }
        }
    }
}
