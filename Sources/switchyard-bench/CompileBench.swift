import Compiler
import Foundation
import Northbound
import Southbound

/// Full and incremental compile times on a synthetic cloud, in-process: the compiler is pure.
enum CompileBench {
    static func run(cloud: SyntheticCloud, creates: Int, policies: Int) {
        let state = cloud.desiredState()
        let clock = ContinuousClock()
        var full: [Double] = []
        for _ in 0..<3 {
            let started = clock.now
            let states = compile(state)
            full.append((clock.now - started) / .milliseconds(1))
            precondition(states.count == cloud.hosts)
        }
        var compiler = IncrementalCompiler(state)
        var incremental: [Double] = []
        for index in 0..<creates {
            let s = index % cloud.switchCount
            let id = "pt-new-\(index)"
            let port = Port(id: id, tenant: "tn-bench", switch: "sw-\(s)", name: "new\(index)",
                            mac: MACAddress(UInt64(0x06) << 40 | UInt64(index)).description, ip: "10.0.1.\(index % 250 + 1)",
                            host: "hs-\(cloud.host(ofSwitch: s, port: 0))", labels: [:], revision: Int64(index + 2))
            let started = clock.now
            _ = compiler.apply([.port(id: id, port)], revision: Int64(index + 2))
            incremental.append((clock.now - started) / .milliseconds(1))
        }
        print("full-compile-ms: \(format(full.min() ?? 0))")
        print("incremental-compile-ms: \(format(percentile(incremental.sorted(), 0.5)))")
        policyCreates(policies, compiler: &compiler, revision: Int64(creates + 2))
    }

    /// Policy creates as the southbound bench makes them (each selects every port of the tenant, so
    /// every host gets it): the compiler's part of `policy-create-to-all-acks`.
    static func policyCreates(_ count: Int, compiler: inout IncrementalCompiler, revision: Int64) {
        guard count > 0 else { return }
        let clock = ContinuousClock()
        var times: [Double] = [], encodings: [Double] = []
        var hosts = 0, bytes = 0
        let encoder = WireJSONEncoder()
        for index in 0..<count {
            let id = "np-bench-\(index)"
            let rule = PolicyRule(from: [PolicyPeer(cidr: "192.0.2.\(index % 250)/32")], ports: [PolicyPorts(protocol: .tcp, port: 80)])
            let policy = NetworkPolicy(id: id, tenant: "tn-bench", name: "pol\(index)", tier: .tenant, appliesTo: PolicySelector(),
                                       ingress: [rule], egress: nil, revision: revision + Int64(index))
            let before = compiler.hostStates
            let started = clock.now
            let changed = compiler.apply([.policy(id: id, policy)], revision: revision + Int64(index))
            times.append((clock.now - started) / .milliseconds(1))
            hosts = changed.count
            // What the hub then does for each host: the delta from its previous state, encoded.
            let encodeStarted = clock.now
            bytes = 0
            for (host, state) in changed {
                guard let state, let old = before[host] else { continue }
                let message = ControllerMessage.delta(fromRevision: 1, revision: 2, delta: HostStateDelta(from: old, to: state))
                bytes += (try? encoder.encode(message).count) ?? 0
            }
            encodings.append((clock.now - encodeStarted) / .milliseconds(1))
        }
        print("policy-incremental-compile-ms: \(format(percentile(times.sorted(), 0.5)))")
        print("policy-incremental-compile-hosts: \(hosts)")
        print("policy-delta-encode-ms: \(format(percentile(encodings.sorted(), 0.5)))")
        print("policy-delta-bytes-per-host: \(hosts > 0 ? bytes / hosts : 0)")
    }
}

func format(_ value: Double) -> String { String(format: "%.2f", value) }

func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    return sorted[min(sorted.count - 1, max(0, Int((Double(sorted.count) * fraction).rounded(.up)) - 1))]
}
