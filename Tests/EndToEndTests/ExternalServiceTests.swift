import Foundation
import Testing

extension EndToEnd {
    /// External services on a 3-compute + 2-edge cloud: the external network reaches a service on
    /// an address of its pool at the router's edge, balanced over healthy endpoints on every host,
    /// and again after the edge fails over.
    @Suite struct ExternalServiceTests {
        /// What `count` connections from the external namespace to `address:80` answered, by endpoint name.
        static func spread(_ cloud: SimulatedCloud, _ address: String, count: Int) async throws -> [String: Int] {
            try await ServiceTests.answers(inNamespace: cloud.namespace("ext"), address, port: 80, count: count)
                .reduce(into: [:]) { counts, answer in counts[String(answer.split(separator: " ").first ?? "-"), default: 0] += 1 }
        }

        @Test func theOutsideReachesAnExternalServiceAtTheEdgeBalancedOverHealthyEndpointsAlsoAfterFailover() async throws {
            try await SimulatedCloud.withCloud { cloud in
                try await cloud.start(hostCount: 3, edgeCount: 2)
                let corp = try await RouterTests.corp(cloud)
                let acme = try await RouterTests.tenantNetwork(cloud, name: "acme", corp: corp, webCIDR: "10.0.0.0/24", dbCIDR: "10.1.0.0/24")
                let echo = ["labels": ["app": "echo"]]
                try await cloud.port("e1", on: acme.web, host: 1, ip: "10.0.0.11", fields: echo)
                try await cloud.port("e2", on: acme.db, host: 2, ip: "10.1.0.12", fields: echo)
                try await cloud.port("e3", on: acme.web, host: 3, ip: "10.0.0.13", fields: echo)
                try await cloud.port("c", on: acme.db, host: 1, ip: "10.1.0.21")
                for name in ["e1", "e2", "e3"] { try await ServiceTests.startNamedServer(cloud, in: name, port: 8080) }

                let created = try await cloud.syctl(["service", "create", "echo", "--tenant", "acme", "--router", "edge", "--external",
                                                     "--port", "80:8080/tcp", "--selector", "app=echo",
                                                     "--check", "tcp", "--check-interval", "1", "--check-timeout", "1",
                                                     "--check-rise", "2", "--check-fall", "2", "-o", "json"]).output
                let service = try JSONSerialization.jsonObject(with: Data(created.utf8)) as? [String: Any] ?? [:]
                let id = service["id"] as? String ?? ""
                let external = try #require(service["externalIp"] as? String, "\(service)")
                #expect(service["type"] as? String == "external")
                #expect(external.hasPrefix("203.0.113.") && external != acme.uplink, "an address of the pool: \(external)")
                try await cloud.eventually("every endpoint reports healthy") {
                    let items = try await cloud.api("GET", "/services/\(id)/endpoints")["items"] as? [[String: Any]] ?? []
                    return items.count == 3 && items.allSatisfy { ($0["health"] as? [String: Any])?["healthy"] as? Bool == true }
                }

                // The outside reaches every endpoint, each seeing the caller's own address.
                try await cloud.eventually("the outside reaches \(external)") { try await Self.spread(cloud, external, count: 1)["-"] == nil }
                let answers = try await ServiceTests.answers(inNamespace: cloud.namespace("ext"), external, port: 80, count: 90)
                #expect(answers.allSatisfy { $0.hasSuffix(" 203.0.113.1") }, "\(answers)")
                let counts = answers.reduce(into: [String: Int]()) { $0[String($1.split(separator: " ").first ?? "-"), default: 0] += 1 }
                for name in ["e1", "e2", "e3"] { #expect(counts[name] ?? 0 >= 10, "\(name) took \(counts[name] ?? 0) of 90: \(counts)") }
                // Only the service's ports are open on the address.
                #expect(try await ServiceTests.answers(inNamespace: cloud.namespace("ext"), external, port: 8080, count: 1) == ["-"])
                // The router's own workloads reach the external address too, balanced on their host.
                #expect(try await Set(ServiceTests.answers(cloud, from: "c", external, port: 80, count: 20).map { $0.split(separator: " ").first ?? "-" })
                        == ["e1", "e2", "e3"])

                // An endpoint that fails its check leaves the edge's balancing too.
                try await ServiceTests.stopServers(cloud, in: "e2")
                try await cloud.eventually("e2 is out at the edge", timeout: .seconds(10)) {
                    try await Self.spread(cloud, external, count: 15).keys.sorted() == ["e1", "e3"]
                }

                // The edge host is lost: the service follows the uplink to the other edge host.
                let before = try await cloud.api("GET", "/routers/\(acme.router)")["edgeHost"] as? String ?? ""
                let index = try #require(cloud.hosts.firstIndex(of: before)) + 1
                try await cloud.killProcesses(in: "hv\(index)")
                _ = try await SimulatedCloud.run(["ip", "-n", cloud.namespace("hv\(index)"), "link", "set", "ul0", "down"])
                let lost = ContinuousClock.now
                try await cloud.eventually("the outside reaches \(external) through the new edge", timeout: .seconds(30)) {
                    try await Self.spread(cloud, external, count: 1)["-"] == nil
                }
                print("external-service-failover-s: \(String(format: "%.2f", (ContinuousClock.now - lost) / .seconds(1)))")
                #expect(try await cloud.api("GET", "/routers/\(acme.router)")["edgeHost"] as? String != before)
                #expect(try await Self.spread(cloud, external, count: 30).keys.sorted() == ["e1", "e3"])

                // Deleting the service closes the address and returns it to the pool.
                _ = try await cloud.api("DELETE", "/services/\(id)")
                try await cloud.eventually("\(external) stops answering") { try await Self.spread(cloud, external, count: 1) == ["-": 1] }
                let floating = try await cloud.api("POST", "/floating-ips", ["tenant": acme.tenant, "externalNetwork": corp, "address": external])
                #expect(floating["address"] as? String == external, "the address is free again: \(floating)")
            }
        }
    }
}
