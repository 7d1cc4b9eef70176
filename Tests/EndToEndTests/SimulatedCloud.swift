import Foundation
import Testing
import TestSupport

/// A cloud in network namespaces, built with `ops/topology`: the controller in the underlay
/// namespace at 198.18.0.1, one real agent (kernel mode) per hypervisor namespace, and workload
/// namespaces whose ports the agents plug in through their local API. Everything is named with a
/// random prefix and removed by `tearDown`, also after a failure.
final class SimulatedCloud: @unchecked Sendable {
    // Unchecked: used from one test task at a time.
    let prefix = "sy" + String(UInt16.random(in: 0...UInt16.max), radix: 16)
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-e2e-\(UUID().uuidString)").path
    var token = ""
    var hosts: [String] = []
    /// Whether the agents serve Docker's driver, each under its own name (``dockerDriver(host:)``).
    var servesDocker = false

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func executable(_ name: String) -> String {
        var directory = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        while directory.path != "/" && !FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path) {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent(name).path
    }

    static var isRoot: Bool { geteuid() == 0 }

    /// Runs a command to completion (``ChildProcess``: on a thread of its own, reaped by waitpid);
    /// returns its status and standard output, and throws on a non-zero status when `check`.
    @discardableResult
    static func run(_ arguments: [String], check: Bool = true) async throws -> (status: Int32, output: String) {
        let outcome = try await ChildProcess.run(arguments)
        if check, outcome.status != 0 {
            throw CloudFailure("\(arguments.joined(separator: " ")) exited \(outcome.status): \(outcome.output)")
        }
        return (outcome.status, outcome.output)
    }

    /// Runs a bash script with `environment` (a file of the repository, such as `ops/podman-env`)
    /// sourced; returns its output (stdout and stderr), throws when it fails.
    @discardableResult
    func sourcing(_ environment: String, _ script: String) async throws -> String {
        let path = Self.repository.appendingPathComponent(environment).path
        let outcome = try await ChildProcess.run(["/bin/bash", "-c", "source \(path) && { \(script); }"], includeErrors: true)
        guard outcome.status == 0 else { throw CloudFailure("\(script) exited \(outcome.status): \(outcome.output)") }
        return outcome.output
    }

    /// Starts a long-running command in the background, its output to a log file in the work directory.
    static func spawn(_ arguments: [String], log: String) throws {
        try ChildProcess.launch(arguments, log: log)
    }

    func namespace(_ name: String) -> String { "\(prefix)-\(name)" }

    /// Underlay, `hostCount` compute hypervisors and `edgeCount` edge hypervisors (numbered after
    /// them) with agents, the external network's gateway, and the controller.
    func start(hostCount: Int, edgeCount: Int = 0) async throws {
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try await Self.run([Self.repository.appendingPathComponent("ops/topology").path, "up", prefix, String(hostCount + edgeCount)])
        token = try await Self.run([Self.executable("switchyard-controller"), "init", "--data-dir", work + "/store"]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try Self.spawn(controllerCommand, log: work + "/controller.log")
        try await eventually("the controller answers") { (try? await self.api("GET", "/revision"))?["revision"] != nil }
        for index in 1...(hostCount + edgeCount) {
            let host = try await api("POST", "/hosts", ["name": "hv\(index)", "address": "198.18.0.\(10 + index)",
                                                        "role": index > hostCount ? "edge" : "compute"])["id"] as? String ?? ""
            hosts.append(host)
            let join = try await api("POST", "/hosts/\(host)/enroll-tokens", [:])["joinString"] as? String ?? ""
            try Self.spawn(agentCommand(host: index) + ["--join", join], log: "\(work)/agent\(index).log")
        }
        for host in hosts {
            try await eventually("\(host) is connected") {
                ((try? await self.api("GET", "/hosts/\(host)"))?["status"] as? [String: Any])?["connected"] as? Bool == true
            }
        }
    }

    func socket(host index: Int) -> String { "\(work)/hv\(index).sock" }

    /// The controller, in the underlay namespace; edge hosts silent for 3 s lose their uplinks.
    var controllerCommand: [String] {
        ["ip", "netns", "exec", namespace("ul"), Self.executable("switchyard-controller"), "serve", "--data-dir", work + "/store",
         "--listen", "198.18.0.1:8080", "--southbound", "198.18.0.1:7443", "--edge-lost-after-seconds", "3"]
    }

    /// The agent of host `index`, in its hypervisor's network namespace only (see `ops/topology`),
    /// with its routers' namespaces named after the cloud's prefix, serving metrics on its underlay address.
    func agentCommand(host index: Int) -> [String] {
        ["nsenter", "--net=/run/netns/\(namespace("hv\(index)"))", Self.executable("switchyard-agent"), "run",
         "--state-dir", "\(work)/hv\(index)", "--socket", socket(host: index), "--heartbeat-seconds", "1", "--resync-seconds", "2",
         "--router-namespace-prefix", namespace("r\(index)-"), "--metrics", agentMetricsAddress(host: index),
         "--enable-script-checks"]
            + (servesDocker ? ["--docker-plugin", "/run/docker/plugins/\(dockerDriver(host: index)).sock"] : [])
    }

    /// The name dockerd knows host `index`'s driver by: one per agent, as every dockerd here reads
    /// the same /run/docker/plugins.
    func dockerDriver(host index: Int) -> String { namespace("hv\(index)") }

    func agentMetricsAddress(host index: Int) -> String { "198.18.0.\(10 + index):9464" }

    /// (Re)starts the agent of host `index` from its state directory: no join string after enrolling.
    func startAgent(host index: Int, log: String) throws {
        try Self.spawn(agentCommand(host: index), log: log)
    }

    /// SIGKILLs every process running in a namespace (an agent in a hypervisor, the controller in the underlay).
    /// Kills every process in namespace `name` and waits until they are gone: a socket of a
    /// process being killed may still take a connection.
    func killProcesses(in name: String) async throws {
        let pids = try await Self.run(["ip", "netns", "pids", namespace(name)]).output.split(separator: "\n").map(String.init)
        for pid in pids {
            _ = try await Self.run(["kill", "-9", pid], check: false)
        }
        try await eventually("the processes of \(name) are gone", timeout: .seconds(5)) {
            let left = try await Self.run(["ip", "netns", "pids", self.namespace(name)]).output.split(separator: "\n").map(String.init)
            return Set(left).isDisjoint(with: pids)
        }
    }

    /// Restarts the controller on its data directory.
    func restartController() async throws {
        try Self.spawn(controllerCommand, log: work + "/controller-2.log")
        try await eventually("the controller answers again") { (try? await self.api("GET", "/revision"))?["revision"] != nil }
    }

    /// Creates a port on `sw` bound to host `index` (with any further `fields`, such as a project or
    /// labels), waits until it is realized, and plugs a workload in.
    @discardableResult
    func port(_ name: String, on sw: String, host index: Int, ip: String, fields: [String: Any] = [:]) async throws -> String {
        let body = fields.merging(["switch": sw, "name": name, "host": hosts[index - 1], "ip": ip]) { _, new in new }
        let created = try await api("POST", "/ports?wait=realized&timeout=10s", body)
        guard (created["status"] as? [String: Any])?["realized"] as? Bool == true, let id = created["id"] as? String else {
            throw CloudFailure("port \(name) not realized: \(created)")
        }
        try await workload(name, port: id, onHost: index)
        return id
    }

    /// Calls the REST API from inside the underlay namespace (of the controller at 198.18.0.`controller`,
    /// with several: ``startShared(controllers:hostCount:)``); returns the JSON object.
    @discardableResult
    func api(_ method: String, _ path: String, _ body: [String: Any]? = nil, via controller: Int = 1) async throws -> [String: Any] {
        var arguments = ["ip", "netns", "exec", namespace("ul"), "curl", "-s", "-m", "15", "-X", method,
                         "-H", "Authorization: Bearer \(token)", "http://198.18.0.\(controller):8080/v1\(path)"]
        if let body {
            arguments += ["-H", "Content-Type: application/json", "-d",
                          String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)]
        }
        let output = try await Self.run(arguments).output
        return (try? JSONSerialization.jsonObject(with: Data(output.utf8))) as? [String: Any] ?? [:]
    }

    /// Runs syctl against the controller (from the underlay namespace) with the admin token.
    @discardableResult
    func syctl(_ arguments: [String], check: Bool = true) async throws -> (status: Int32, output: String) {
        try await Self.run(["ip", "netns", "exec", namespace("ul"), Self.executable("syctl")] + arguments
                           + ["--url", "http://198.18.0.1:8080", "--token", token], check: check)
    }

    /// A workload namespace with the port plugged in through the agent of host `index` (1-based).
    func workload(_ name: String, port: String, onHost index: Int) async throws {
        try await Self.run([Self.repository.appendingPathComponent("ops/topology").path, "workload", prefix, name])
        try await Self.run([Self.executable("switchyard-agent"), "port", "attach", "--socket", socket(host: index), "--port", port,
                      "--namespace", namespace("w-\(name)")])
    }

    /// Whether `from` reaches `address` with ping (a few tries, for ARP and the first realization).
    func pings(from workload: String, _ address: String, count: Int = 1) async -> Bool {
        await pingsFrom("w-\(workload)", address, count: count)
    }

    /// Whether namespace `name` (a suffix like `ext` or `w-a`) reaches `address` with ping.
    func pingsFrom(_ name: String, _ address: String, count: Int = 1) async -> Bool {
        (try? await Self.run(["ip", "netns", "exec", namespace(name), "ping", "-c", String(count), "-W", "1", "-i", "0.2", address],
                       check: false).status) == 0
    }

    /// Runs `body` with a fresh cloud and removes the cloud afterwards, also when `body` fails.
    static func withCloud(_ body: (SimulatedCloud) async throws -> Void) async throws {
        let cloud = SimulatedCloud()
        do {
            try await body(cloud)
        } catch {
            cloud.printLogTails()
            await cloud.tearDown()
            throw error
        }
        await cloud.tearDown()
    }

    /// The end of every log of the run, so a failure in CI can be understood after the teardown.
    func printLogTails(lines: Int = 25) {
        let logs = ((try? FileManager.default.contentsOfDirectory(atPath: work)) ?? []).filter { $0.hasSuffix(".log") }.sorted()
        for log in logs {
            let text = (try? String(contentsOfFile: "\(work)/\(log)", encoding: .utf8)) ?? ""
            print("--- \(prefix) \(log) (last \(lines) lines)\n" + text.split(separator: "\n").suffix(lines).joined(separator: "\n"))
        }
    }

    func tearDown() async {
        _ = try? await Self.run([Self.repository.appendingPathComponent("ops/topology").path, "down", prefix], check: false)
        for index in hosts.indices where servesDocker {
            try? FileManager.default.removeItem(atPath: "/run/docker/plugins/\(dockerDriver(host: index + 1)).sock")
        }
        try? FileManager.default.removeItem(atPath: work)
    }

    func eventually(_ what: String, timeout: Duration = .seconds(20), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw CloudFailure("timed out waiting until \(what)") }
            try await Task.sleep(for: .milliseconds(200))
        }
    }
}

struct CloudFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
