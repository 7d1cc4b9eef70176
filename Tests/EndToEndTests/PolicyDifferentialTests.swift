import Foundation
import Testing

extension EndToEnd {
    /// The evaluator (what `syctl explain` says) against the kernel (what real connections do): random
    /// policies of both tiers over workloads on two switches (bridged and routed flows) on two hosts,
    /// every pair of workloads on two TCP ports, several rounds.
    @Suite struct PolicyDifferentialTests {
        static let workloads: [(name: String, project: String, host: Int, ip: String, app: String)] = [
            ("w1", "front", 1, "10.0.1.11", "web"), ("w2", "front", 2, "10.0.1.12", "db"), ("w3", "front", 2, "10.0.1.13", "web"),
            ("w4", "back", 1, "10.0.2.14", "db"), ("w5", "back", 2, "10.0.2.15", "web"), ("w6", "back", 1, "10.0.2.16", "db"),
        ]
        static let ports = [80, 5432]

        @Test func theKernelDoesWhatTheEvaluatorSays() async throws {
            try await SimulatedCloud.withCloud { cloud in
                try await cloud.start(hostCount: 2)
                let tenant = try await cloud.api("POST", "/tenants", ["name": "alpha"])["id"] as? String ?? ""
                let router = try await cloud.api("POST", "/routers", ["tenant": tenant, "name": "r"])["id"] as? String ?? ""
                var switches: [String: String] = [:]
                for (project, cidr) in [("front", "10.0.1.0/24"), ("back", "10.0.2.0/24")] {
                    let id = try await cloud.api("POST", "/projects", ["tenant": tenant, "name": project])["id"] as? String ?? ""
                    switches[project] = try await cloud.api("POST", "/switches", ["tenant": tenant, "project": id, "name": project,
                                                                                  "cidr": cidr])["id"] as? String ?? ""
                    _ = try await cloud.api("POST", "/routers/\(router)/interfaces", ["switch": switches[project]!])
                }
                var ids: [String: String] = [:]
                for workload in Self.workloads {
                    ids[workload.name] = try await cloud.port(workload.name, on: switches[workload.project]!, host: workload.host,
                                                              ip: workload.ip, fields: ["labels": ["app": workload.app]])
                    for port in Self.ports { try await cloud.startPeerEcho(in: "w-\(workload.name)", port: port) }
                }
                try await cloud.eventually("every workload reaches every other") {
                    let open = try await Self.probe(cloud)
                    return open.count == Self.workloads.count * (Self.workloads.count - 1) * Self.ports.count
                }

                // POLICY_DIFFERENTIAL_SEED replays a run.
                let seed = ProcessInfo.processInfo.environment["POLICY_DIFFERENTIAL_SEED"].flatMap { UInt64($0) }
                var generator = SeededRandom(seed: seed ?? UInt64.random(in: 0...UInt64.max))
                print("policy differential seed \(generator.seed)")
                var flows = 0, denied = 0
                for round in 1...4 {
                    for policy in try await cloud.api("GET", "/policies")["items"] as? [[String: Any]] ?? [] {
                        _ = try await cloud.api("DELETE", "/policies/\(policy["id"] as? String ?? "")")
                    }
                    var revision: Int64 = 0
                    for index in 0..<Int.random(in: 1...3, using: &generator) {
                        let body = Self.randomPolicy(tenant: tenant, index: index, using: &generator)
                        let created = try await cloud.api("POST", "/policies", body)
                        let id = try #require(created["id"] as? String, "round \(round): \(created) for \(body)")
                        revision = max(revision, created["revision"] as? Int64 ?? Int64(created["revision"] as? Int ?? 0))
                        _ = id
                    }
                    var expected: Set<String> = []
                    for source in Self.workloads {
                        for destination in Self.workloads where destination.name != source.name {
                            for port in Self.ports {
                                let answer = try await Self.reachability(cloud, from: ids[source.name]!, to: destination.ip, port: port,
                                                                         atLeast: revision)
                                if answer { expected.insert("\(source.name)>\(destination.ip):\(port)") } else { denied += 1 }
                                flows += 1
                            }
                        }
                    }
                    // The evaluator answers from the controller's compile; the agents realize it
                    // after (policy creates take no ?wait=realized), within seconds under the
                    // suite's load: up to 10 s for the kernel to agree.
                    var observed: Set<String> = []
                    for _ in 0..<20 {
                        observed = try await Self.probe(cloud)
                        if observed == expected { break }
                        try await Task.sleep(for: .milliseconds(500))
                    }
                    #expect(observed == expected, """
                        round \(round), seed \(generator.seed): the kernel allowed \(observed.subtracting(expected).sorted()) \
                        that the evaluator denies, and denied \(expected.subtracting(observed).sorted()) that it allows
                        """)
                    if observed != expected {
                        for host in ["hv1", "hv2"] {
                            let table = try? await SimulatedCloud.run(["ip", "netns", "exec", cloud.namespace(host), "nft", "list", "table",
                                                                       "inet", "sy-policy"], check: false).output
                            print("--- \(host) policy table\n\(table ?? "(none)")")
                        }
                        print("--- policies\n\((try? await cloud.api("GET", "/policies")) ?? [:])")
                        cloud.printLogTails(lines: 40)
                        break
                    }
                }
                #expect(flows >= 240, "\(flows) flows compared")
                print("policy differential: \(flows) flows, \(denied) denied")
            }
        }

        /// Every connection that opens now, as `source>address:port`: each workload tries all others
        /// at once (1 s timeout each).
        static func probe(_ cloud: SimulatedCloud) async throws -> Set<String> {
            try await withThrowingTaskGroup(of: [String].self) { group in
                for source in workloads {
                    let targets = workloads.filter { $0.name != source.name }.flatMap { target in ports.map { "(\"\(target.ip)\", \($0))" } }
                    let script = """
                        import socket, threading
                        opened = []
                        def attempt(target):
                            try:
                                socket.create_connection(target, 1).close()
                                opened.append("%s:%d" % target)
                            except OSError:
                                pass
                        threads = [threading.Thread(target=attempt, args=(t,)) for t in [\(targets.joined(separator: ", "))]]
                        [t.start() for t in threads]
                        [t.join() for t in threads]
                        print("\\n".join(opened))
                        """
                    group.addTask {
                        let output = try await SimulatedCloud.run(["ip", "netns", "exec", cloud.namespace("w-\(source.name)"), "python3", "-c",
                                                                   script]).output
                        return output.split(separator: "\n").map { "\(source.name)>\($0)" }
                    }
                }
                return try await group.reduce(into: Set<String>()) { $0.formUnion($1) }
            }
        }

        /// The evaluator's verdict once it has compiled `revision`.
        static func reachability(_ cloud: SimulatedCloud, from: String, to: String, port: Int, atLeast revision: Int64) async throws -> Bool {
            for _ in 0..<50 {
                let answer = try await cloud.api("GET", "/reachability?from=\(from)&to=\(to)&protocol=tcp&port=\(port)")
                let seen = answer["revision"] as? Int64 ?? Int64(answer["revision"] as? Int ?? 0)
                if seen >= revision, let allowed = answer["allowed"] as? Bool { return allowed }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw CloudFailure("the evaluator never reached revision \(revision)")
        }

        static func randomPolicy(tenant: String, index: Int, using generator: inout SeededRandom) -> [String: Any] {
            func maybe(_ value: Any) -> Any? { Bool.random(using: &generator) ? value : nil }
            let admin = Int.random(in: 0..<3, using: &generator) == 0
            var appliesTo: [String: Any] = [:]
            appliesTo["project"] = maybe(["front", "back"].randomElement(using: &generator)!)
            appliesTo["labels"] = maybe(["app": ["web", "db"].randomElement(using: &generator)!])
            if admin { appliesTo["tenant"] = "alpha" }
            var body: [String: Any] = ["name": "p\(index)", "appliesTo": appliesTo]
            if admin {
                body["tier"] = "admin"
                body["priority"] = Int.random(in: 0..<3, using: &generator)
            } else {
                body["tenant"] = tenant
            }
            for direction in ["ingress", "egress"] where Bool.random(using: &generator) {
                body[direction] = (0..<Int.random(in: 0...2, using: &generator)).map { _ -> [String: Any] in
                    var rule: [String: Any] = [:]
                    if admin { rule["action"] = ["allow", "deny", "pass"].randomElement(using: &generator)! }
                    let peer: [String: Any] = [
                        ["project": "front"], ["project": "back", "labels": ["app": "db"]], ["labels": ["app": "web"]],
                        ["cidr": "10.0.1.0/24"], ["cidr": "10.0.2.14/32"],
                    ].randomElement(using: &generator)!
                    rule[direction == "ingress" ? "from" : "to"] = maybe([peer])
                    rule["ports"] = maybe([["protocol": "tcp", "port": Self.ports.randomElement(using: &generator)!]])
                    rule["expression"] = maybe(["src_project==front", "dst_label.app in (web)", "!(src_label.app==db)",
                                                "src_project!=back || dst_project==back"].randomElement(using: &generator)!)
                    return rule
                }
            }
            return body
        }
    }
}

/// SplitMix64 with its seed kept, so a failing run can be replayed.
struct SeededRandom: RandomNumberGenerator {
    let seed: UInt64
    private var state: UInt64

    init(seed: UInt64) {
        self.seed = seed
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
