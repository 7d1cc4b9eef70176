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
    }
}
