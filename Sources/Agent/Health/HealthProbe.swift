import Kernel
import Southbound

/// One run of a check against an endpoint: TCP, HTTP and script checks from inside its router's
/// namespace (the one place on the host that reaches the endpoint's switch), container checks in
/// the endpoint's own namespace (`workload`, nil when the agent does not know it). The verdict
/// and what the check saw.
enum HealthProbe {
    static func run(_ check: HealthCheckState, address: String, namespace: String?, kernel: any Kernel, scriptChecks: Bool = false,
                    workload: String? = nil) async -> (passed: Bool, output: String) {
        let timeout = Duration.seconds(check.timeout)
        do {
            switch check.type {
            case "tcp":
                _ = try await kernel.probe(address, port: check.port, sending: [], limit: 0, timeout: timeout, in: namespace)
                return (true, "connected to \(address):\(check.port)")
            case "http":
                let request = "GET \(check.path ?? "/") HTTP/1.0\r\nHost: \(address):\(check.port)\r\nUser-Agent: switchyard-health\r\n\r\n"
                let answer = try await kernel.probe(address, port: check.port, sending: Array(request.utf8), limit: 1_024, timeout: timeout,
                                                    in: namespace)
                return verdict(http: answer, expect: check.expectStatus)
            case "script", "container":
                guard scriptChecks else {
                    return (false, "\(check.type) checks are disabled on this host: its agent runs without --enable-script-checks")
                }
                guard let target = check.type == "script" ? namespace : workload else {
                    return (false, "the endpoint's network namespace is not known to this host's agent")
                }
                let command = CheckCommand(command: check.command ?? [], environment: [
                    "SWITCHYARD_ENDPOINT_IP": address, "SWITCHYARD_ENDPOINT_PORT": String(check.port),
                ], namespace: target, timeout: timeout)
                let (status, output) = await command.run()
                return (status == 0, (status.map { "exit \($0): " } ?? "") + output)
            default:
                return (false, "\(check.type) checks are not known to this agent")
            }
        } catch {
            return (false, "\(error)")
        }
    }

    /// Passes on the expected status, or any 2xx without one.
    static func verdict(http answer: [UInt8], expect: Int?) -> (passed: Bool, output: String) {
        let statusLine = String(decoding: answer.prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        let words = statusLine.split(separator: " ")
        guard words.count >= 2, words[0].hasPrefix("HTTP/"), let status = Int(words[1]) else {
            return (false, "not an HTTP answer: \(statusLine.prefix(200))")
        }
        let passed = expect.map { $0 == status } ?? (200..<300).contains(status)
        return (passed, statusLine)
    }
}
