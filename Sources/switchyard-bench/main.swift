import Foundation

// Load generator and measurements for the ops/bench-* scripts. Prints figures one per line as
// `name: value`; exits non-zero only when it could not measure.
//
//   switchyard-bench api --address HOST:PORT --token T [--ports N] [--connections C]
//   switchyard-bench compile [--hosts N] [--ports-per-host N] [--creates N] [--policies N]
//   switchyard-bench southbound --address HOST:PORT --token T --state-root DIR [--hosts N] [--ports-per-host N]
//                               [--creates N] [--policies N] [--endpoint-changes N] [--controller-pid-file FILE]
//   switchyard-bench abuse-http --address HOST:PORT --token T [--slow N] [--requests N]
//   switchyard-bench abuse-southbound --address HOST:PORT --pid PID [--clients N] [--sources N] [--hold S]
//   switchyard-bench churn --address HOST:PORT --token T [--ports N] [--batch N] [--connections C]

let arguments = CommandLine.arguments
func option(_ name: String, _ fallback: String) -> String {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return fallback }
    return arguments[index + 1]
}

func client() -> BenchClient {
    let target = option("--address", "127.0.0.1:8080").split(separator: ":")
    return BenchClient(host: String(target.first ?? "127.0.0.1"), port: UInt16(target.last ?? "8080") ?? 8080,
                       token: option("--token", ProcessInfo.processInfo.environment["SWITCHYARD_TOKEN"] ?? ""))
}

let cloud = SyntheticCloud(hosts: Int(option("--hosts", "1000")) ?? 1000,
                           portsPerHost: Int(option("--ports-per-host", "50")) ?? 50,
                           portsPerSwitch: Int(option("--ports-per-switch", "10")) ?? 10)

do {
    switch arguments.dropFirst().first {
    case "api":
        try APIBench.run(client: client(), total: Int(option("--ports", "10000")) ?? 10_000,
                         connections: Int(option("--connections", "16")) ?? 16)
    case "compile":
        CompileBench.run(cloud: cloud, creates: Int(option("--creates", "1000")) ?? 1000,
                         policies: Int(option("--policies", "0")) ?? 0)
    case "southbound":
        try await SouthboundBench.run(client: client(), cloud: cloud, creates: Int(option("--creates", "1000")) ?? 1000,
                                      policies: Int(option("--policies", "20")) ?? 20,
                                      endpointChanges: Int(option("--endpoint-changes", "200")) ?? 200,
                                      stateRoot: option("--state-root", NSTemporaryDirectory()),
                                      controllerPIDFile: arguments.contains("--controller-pid-file") ? option("--controller-pid-file", "") : nil)
    case "abuse-http":
        try AbuseBench.http(client: client(), slow: Int(option("--slow", "1000")) ?? 1000,
                            requests: Int(option("--requests", "500")) ?? 500)
    case "abuse-southbound":
        let target = client()
        try await AbuseBench.southbound(host: target.host, port: Int(target.port), clients: Int(option("--clients", "1000")) ?? 1000,
                                        sources: Int(option("--sources", "16")) ?? 16, hold: Double(option("--hold", "10")) ?? 10,
                                        controllerPID: Int32(option("--pid", "0")) ?? 0)
    case "churn":
        try AbuseBench.churn(client: client(), total: Int(option("--ports", "100000")) ?? 100_000,
                             batch: Int(option("--batch", "1000")) ?? 1000, connections: Int(option("--connections", "16")) ?? 16)
    default:
        throw BenchFailure(message: "usage: switchyard-bench api|compile|southbound|abuse-http|abuse-southbound|churn [options]")
    }
} catch {
    FileHandle.standardError.write(Data("switchyard-bench: could not measure: \(error)\n".utf8))
    exit(1)
}
