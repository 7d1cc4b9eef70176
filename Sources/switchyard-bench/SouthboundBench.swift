import Agent
import Foundation
import Logging
import PKI

/// Port create → every affected agent's ack, against a real controller with many simulated agents
/// in this process. Latency is that of `POST /v1/ports?wait=realized`, which answers once every
/// host that must hold the port has acked its revision. Then policy create → every agent
/// realized it: each policy selects every port of the tenant, so every host gets it. Then endpoint
/// changes of a service every host balances (``EndpointChangeBench``). Then, given the
/// controller's pid file, a controller restart (``ReconnectStormBench``).
enum SouthboundBench {
    static func run(client: BenchClient, cloud: SyntheticCloud, creates: Int, policies: Int, endpointChanges: Int,
                    stateRoot: String, controllerPIDFile: String?) async throws {
        let setup = try client.connect()
        let tenant = try client.create("/tenants", ["name": "sb-\(UInt16.random(in: 0...UInt16.max))",
                                                    "quotas": ["switches": cloud.switchCount + 1,
                                                               "interfacesPerRouter": EndpointChangeBench.routerSwitches(cloud) + 1,
                                                               "ports": cloud.hosts * cloud.portsPerHost + creates + 1]], on: setup)
        let tenantID = tenant["id"] as? String ?? ""
        let hostIDs = try parallelCreate(client, cloud.hosts) { h in
            ("/hosts", ["name": "hv\(h)", "address": cloud.underlay(h)])
        }
        let switchIDs = try parallelCreate(client, cloud.switchCount) { s in
            ("/switches", ["tenant": tenantID, "name": "net\(s)", "cidr": "10.\(s / 250).\(s % 250).0/24"])
        }
        let joins = try parallelCreate(client, cloud.hosts, field: "joinString") { h in ("/hosts/\(hostIDs[h])/enroll-tokens", [:]) }

        // The agents: enroll, connect, and realize by recording.
        var quiet = Logger(label: "bench-agent")
        quiet.logLevel = .error
        var agents: [Task<Void, any Error>] = []
        var realizers: [SimulatedRealizer] = []
        for (h, join) in joins.enumerated() {
            let directory = AgentStateDirectory(path: "\(stateRoot)/hv\(h)")
            let configuration = AgentConfiguration(stateDirectory: directory, join: try JoinString(parsing: join),
                                                   persistsAppliedState: false)
            let realizer = SimulatedRealizer()
            realizers.append(realizer)
            let agent = HostAgent(configuration: configuration, realizer: realizer, logger: quiet)
            agents.append(Task.detached {
                do {
                    try await agent.run()
                } catch where !(error is CancellationError) {
                    FileHandle.standardError.write(Data("switchyard-bench: agent hv\(h) stopped: \(error)\n".utf8))
                    throw error
                }
            })
        }
        defer { for agent in agents { agent.cancel() } }
        // Each agent enrolls (a key and a signed certificate) before it connects: allow for that.
        var connected = 0
        let enrollStarted = Date()
        do {
            try waitUntil("every agent is connected", timeout: max(120, Double(cloud.hosts) / 25)) {
                connected = try connectedHosts(client)
                return connected == cloud.hosts
            }
        } catch {
            throw BenchFailure(message: "\(connected) of \(cloud.hosts) agents connected after \(Int(Date().timeIntervalSince(enrollStarted))) s")
        }
        print("agents-connected-s: \(String(format: "%.1f", Date().timeIntervalSince(enrollStarted)))")

        // The cloud: ports bound to hosts, each switch spread over `portsPerSwitch` hosts.
        let portIDs = try parallelCreate(client, cloud.switchCount * cloud.portsPerSwitch) { index in
            let (s, k) = index.quotientAndRemainder(dividingBy: cloud.portsPerSwitch)
            return ("/ports", ["switch": switchIDs[s], "name": "p\(k)", "host": hostIDs[cloud.host(ofSwitch: s, port: k)]])
        }

        // The creates return before the agents realized them: measure nothing until they have.
        try await waitUntilSettled(realizers, timeout: 300)

        // One create at a time, each held until every affected agent acked it, on a fresh connection
        // (the controller closes idle ones, and the first has been idle while the agents connected).
        let api = try client.connect()
        var latencies: [Double] = []
        var unrealized = 0
        for index in 0..<creates {
            let s = index * 7 % cloud.switchCount
            let body: [String: Any] = ["switch": switchIDs[s], "name": "new\(index)", "host": hostIDs[cloud.host(ofSwitch: s, port: 0)]]
            let started = DispatchTime.now()
            let reply = try api.send(method: "POST", path: "/v1/ports?wait=realized&timeout=10s", headers: client.headers,
                                     body: Array(try JSONSerialization.data(withJSONObject: body)))
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6)
            guard reply.status == 201 else { throw BenchFailure(message: "port create: \(reply.status)") }
            let port = (try JSONSerialization.jsonObject(with: Data(reply.body))) as? [String: Any]
            if (port?["status"] as? [String: Any])?["realized"] as? Bool != true { unrealized += 1 }
        }
        latencies.sort()
        if creates > 0 {
            print("create-to-all-acks-p50-ms: \(format(percentile(latencies, 0.50)))")
            print("create-to-all-acks-p99-ms: \(format(percentile(latencies, 0.99)))")
            print("creates-not-realized-within-10s: \(unrealized)")
        }
        try await policyCreates(policies, tenant: tenantID, client: client, api: api, realizers: realizers)
        try await EndpointChangeBench.run(endpointChanges, tenant: tenantID, cloud: cloud, switchIDs: switchIDs, portIDs: portIDs,
                                          client: client, realizers: realizers)
        if let controllerPIDFile {
            try await ReconnectStormBench.run(client: client, hosts: cloud.hosts, pidFile: controllerPIDFile)
        }
    }

    /// Creates policies one at a time, each selecting every port of the tenant, and times each from
    /// the request until every agent realized a state holding it (the ack follows at once).
    static func policyCreates(_ count: Int, tenant: String, client: BenchClient, api: HTTPConnection,
                              realizers: [SimulatedRealizer]) async throws {
        guard count > 0 else { return }
        var latencies: [Double] = []
        for index in 0..<count {
            let body: [String: Any] = ["tenant": tenant, "name": "pol\(index)",
                                       "ingress": [["from": [["cidr": "192.0.2.\(index % 250)/32"]], "ports": [["protocol": "tcp", "port": 80]]]]]
            let started = ContinuousClock.now
            let reply = try api.send(method: "POST", path: "/v1/policies", headers: client.headers,
                                     body: Array(try JSONSerialization.data(withJSONObject: body)))
            guard reply.status == 201, let policy = (try JSONSerialization.jsonObject(with: Data(reply.body))) as? [String: Any],
                  let id = policy["id"] as? String, let revision = (policy["revision"] as? NSNumber)?.int64Value else {
                throw BenchFailure(message: "policy create: \(reply.status)")
            }
            let realized = try await EndpointChangeBench.waitForAll(realizers, timeout: 30, "policy \(id) everywhere", revision: revision) { state in
                state.policy?.ruleLists.values.contains { $0.policy == id } == true
            }
            latencies.append((realized - started) / .milliseconds(1))
        }
        latencies.sort()
        print("policy-create-to-all-acks-p50-ms: \(format(percentile(latencies, 0.50)))")
        print("policy-create-to-all-acks-p99-ms: \(format(percentile(latencies, 0.99)))")
    }

    /// Creates `count` objects over 16 connections; returns the `field` of each, in index order.
    static func parallelCreate(_ client: BenchClient, _ count: Int, field: String = "id",
                               _ make: @escaping @Sendable (Int) -> (String, [String: Any])) throws -> [String] {
        let results = Results(count: count)
        _ = try client.concurrently(count, connections: 16) { connection, index in
            let (path, body) = make(index)
            let object = try client.create(path, body, on: connection)
            results.set(index, object[field] as? String ?? "")
        }
        return results.values
    }

    /// Waits until no simulated agent realized anything for a second: the cloud has settled.
    static func waitUntilSettled(_ realizers: [SimulatedRealizer], timeout: Double) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        var last = -1
        while true {
            var count = 0
            for realizer in realizers { count += await realizer.realizationCount }
            if count == last { return }
            guard Date() < deadline else { throw BenchFailure(message: "the agents did not settle within \(Int(timeout)) s") }
            last = count
            try await Task.sleep(for: .seconds(1))
        }
    }

    static func connectedHosts(_ client: BenchClient) throws -> Int {
        try hostStatuses(client).filter { $0["connected"] as? Bool == true }.count
    }

    /// Every host's `status`, page by page.
    static func hostStatuses(_ client: BenchClient) throws -> [[String: Any]] {
        let connection = try client.connect()
        var statuses: [[String: Any]] = []
        var cursor: String?
        repeat {
            let path = "/v1/hosts?limit=1000" + (cursor.map { "&cursor=\($0)" } ?? "")
            let reply = try connection.send(method: "GET", path: path, headers: client.headers, body: [])
            guard reply.status == 200, let page = (try JSONSerialization.jsonObject(with: Data(reply.body))) as? [String: Any] else {
                throw BenchFailure(message: "host list: \(reply.status)")
            }
            statuses += (page["items"] as? [[String: Any]] ?? []).map { $0["status"] as? [String: Any] ?? [:] }
            cursor = page["next"] as? String
        } while cursor != nil
        return statuses
    }

    static func waitUntil(_ what: String, timeout: Double, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while try !condition() {
            guard Date() < deadline else { throw BenchFailure(message: "timed out waiting until \(what)") }
            Thread.sleep(forTimeInterval: 0.2)
        }
    }
}

/// Results written by index from many threads.
final class Results: @unchecked Sendable {
    // Unchecked: every write goes through the lock.
    private let lock = NSLock()
    private var storage: [String]

    init(count: Int) { storage = Array(repeating: "", count: count) }

    func set(_ index: Int, _ value: String) { lock.withLock { storage[index] = value } }

    var values: [String] { lock.withLock { storage } }
}
