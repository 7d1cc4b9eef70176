import Agent
import Foundation
import Southbound

/// Endpoint change → every client host realized it: a service on a router attached to ten
/// switches (every host running the router load-balances it), and one port at a time joining and then
/// leaving its selector (a label set, then cleared), timed from the request until every simulated
/// agent realized a state in which the service's endpoints include, or no longer include, that port.
enum EndpointChangeBench {
    /// The switches the service's router is attached to: `hosts / portsPerSwitch` of them would
    /// reach every host, as ``SyntheticCloud/host(ofSwitch:port:)`` spreads them, but a router
    /// spanning 1,000 hosts is not yet something the controller handles at speed (attaching its
    /// interfaces took seconds each), so ten switches: about `10 × portsPerSwitch` client hosts.
    static func routerSwitches(_ cloud: SyntheticCloud) -> Int { min(cloud.switchCount, 10) }

    static func run(_ changes: Int, tenant: String, cloud: SyntheticCloud, switchIDs: [String], portIDs: [String], client: BenchClient,
                    realizers: [SimulatedRealizer]) async throws {
        guard changes > 0 else { return }
        let setup = try client.connect()
        let router = try client.create("/routers", ["tenant": tenant, "name": "svc"], on: setup)["id"] as? String ?? ""
        let attached = routerSwitches(cloud)
        _ = try SouthboundBench.parallelCreate(client, attached) { s in ("/routers/\(router)/interfaces", ["switch": switchIDs[s]]) }
        // Ten endpoints to start with, on ports of the router's switches.
        let candidates = Array(portIDs.prefix(attached * cloud.portsPerSwitch))
        for port in candidates.suffix(10) { _ = try send(client, try client.connect(), "PATCH", "/v1/ports/\(port)", ["labels": ["app": "svc"]], expect: 200) }
        let service = try client.create("/services?wait=realized&timeout=60s", [
            "tenant": tenant, "name": "svc", "router": router, "ports": [["protocol": "tcp", "port": 80]],
            "selector": ["labels": ["app": "svc"]],
        ], on: try client.connect())
        let id = service["id"] as? String ?? ""
        // The client hosts: those running the router, which the create waited for.
        var clients: [SimulatedRealizer] = []
        for realizer in realizers where await realizer.lastRealized?.state.routers[router] != nil { clients.append(realizer) }
        try await waitForAll(clients, timeout: 60, "service \(id) on every client host") { ($0.services?[id]?.endpoints.count ?? 0) == 10 }

        var latencies: [Double] = []
        for index in 0..<changes {
            let port = candidates[index / 2 % max(1, candidates.count - 10)]
            let joins = index % 2 == 0
            let started = ContinuousClock.now
            // A connection per change: waiting for a thousand agents can outlast the API's idle timeout.
            _ = try send(client, try client.connect(), "PATCH", "/v1/ports/\(port)", ["labels": joins ? ["app": "svc"] : [String: String]()],
                         expect: 200)
            let realized = try await waitForAll(clients, timeout: 30, "endpoint change \(index)") { state in
                state.services?[id]?.endpoints.contains { $0.port == port } == joins
            }
            latencies.append((realized - started) / .milliseconds(1))
        }
        latencies.sort()
        print("endpoint-change-client-hosts: \(clients.count)")
        print("endpoint-change-to-all-acks-p50-ms: \(format(percentile(latencies, 0.50)))")
        print("endpoint-change-to-all-acks-p99-ms: \(format(percentile(latencies, 0.99)))")
    }

    static func send(_ client: BenchClient, _ connection: HTTPConnection, _ method: String, _ path: String, _ body: [String: Any],
                     expect status: Int) throws -> [String: Any] {
        let reply = try connection.send(method: method, path: path, headers: client.headers,
                                        body: Array(try JSONSerialization.data(withJSONObject: body)))
        guard reply.status == status else { throw BenchFailure(message: "\(method) \(path): \(reply.status)") }
        return (try JSONSerialization.jsonObject(with: Data(reply.body))) as? [String: Any] ?? [:]
    }

    /// Waits until every realizer's last realized state satisfies `condition` (checked only once a
    /// realizer has reached `revision`) and returns when the last of them realized it. Each
    /// realizer records that moment itself, so the figure does not depend on how often this polls:
    /// every 20 ms, since a poll visits up to a thousand agents, and more often would take CPU
    /// from the agents and the controller that share the machine's two cores with it.
    @discardableResult
    static func waitForAll(_ realizers: [SimulatedRealizer], timeout: Double, _ what: String, revision: Int64 = 0,
                           _ condition: (HostState) -> Bool) async throws -> ContinuousClock.Instant {
        var pending = realizers
        var last = ContinuousClock.Instant.now
        let deadline = last + .seconds(timeout)
        while !pending.isEmpty {
            var still: [SimulatedRealizer] = []
            for realizer in pending {
                guard let (applied, at) = await realizer.lastRealization, applied.revision >= revision, condition(applied.state) else {
                    still.append(realizer)
                    continue
                }
                last = max(last, at)
            }
            pending = still
            if ContinuousClock.now > deadline { throw BenchFailure(message: "timed out waiting for \(what)") }
            if !pending.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        }
        return last
    }
}
