import Compiler
import Foundation
import Northbound

/// Full and incremental compile times on a synthetic cloud, in-process: the compiler is pure.
enum CompileBench {
    static func run(cloud: SyntheticCloud, creates: Int) {
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
    }
}

func format(_ value: Double) -> String { String(format: "%.2f", value) }

func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    return sorted[min(sorted.count - 1, max(0, Int((Double(sorted.count) * fraction).rounded(.up)) - 1))]
}
