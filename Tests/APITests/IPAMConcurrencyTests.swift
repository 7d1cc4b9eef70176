import Foundation
import Testing

@Suite struct IPAMConcurrencyTests {
    @Test func fiftyConcurrentPortCreatesGetDistinctAddresses() async throws {
        let api = try await TestAPI()
        defer { api.removeStore() }
        let tenant = try await api.create("/v1/tenants", ["name": "acme"]).string("id")
        let sw = try await api.create("/v1/switches", ["tenant": tenant, "name": "s", "cidr": "10.0.0.0/26", "cidr6": "fd00::/120"]).string("id")
        struct Assigned: Sendable {
            let ip, ip6, mac: String
            let revision: Int
        }
        let ports = try await withThrowingTaskGroup(of: Assigned.self) { group in
            for index in 0..<50 {
                group.addTask {
                    let port = try await api.create("/v1/ports", ["switch": sw, "name": "p\(index)"])
                    return Assigned(ip: port.string("ip"), ip6: port.string("ip6"), mac: port.string("mac"), revision: port["revision"] as? Int ?? 0)
                }
            }
            var created: [Assigned] = []
            for try await port in group { created.append(port) }
            return created
        }
        #expect(ports.count == 50)
        #expect(Set(ports.map(\.ip)).count == 50)
        #expect(Set(ports.map(\.ip6)).count == 50)
        #expect(Set(ports.map(\.mac)).count == 50)
        #expect(!ports.contains { $0.ip == "10.0.0.1" }, "the gateway is never handed out")
        #expect(Set(ports.map(\.revision)).count == 50, "each create committed its own revision")
    }

    @Test func releasedAddressesAreReusedWhenTheSubnetIsFull() async throws {
        let api = try await TestAPI()
        defer { api.removeStore() }
        let tenant = try await api.create("/v1/tenants", ["name": "acme"]).string("id")
        // A /29 has six host addresses; one is the gateway.
        let sw = try await api.create("/v1/switches", ["tenant": tenant, "name": "s", "cidr": "10.0.0.0/29"]).string("id")
        var ports: [[String: Any]] = []
        for index in 0..<5 { ports.append(try await api.create("/v1/ports", ["switch": sw, "name": "p\(index)"])) }
        let full = try await api.call(.post, "/v1/ports", body: ["switch": sw, "name": "p9"])
        #expect(full.status == 409 && full.errorCode == "pool_exhausted")
        #expect(try await api.call(.delete, "/v1/ports/\(ports[1].string("id"))").status == 200)
        let reused = try await api.create("/v1/ports", ["switch": sw, "name": "p9"])
        #expect(reused.string("ip") == ports[1].string("ip"))
    }
}
