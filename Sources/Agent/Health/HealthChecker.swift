import Foundation
import Kernel
import Southbound

/// Runs the health checks of the endpoints on this host (distributed, as kubelet and Consul agents
/// do) and reports their verdicts to the controller: a change of an endpoint's health at once, the
/// other verdicts once a second at most, and everything when a session opens (a restarted
/// controller learns all again). Checks follow the states the agent realizes: an endpoint that
/// leaves, or whose check changes, has its loop stopped or restarted.
public actor HealthChecker {
    /// One endpoint's check: the service, the endpoint, and the namespace it is checked from.
    struct Target: Equatable, Sendable {
        var service: String
        var port: String
        var address: String
        var check: HealthCheckState
        var namespace: String?
        /// The endpoint's own namespace, for container checks.
        var workload: String?
    }

    private let kernel: any Kernel
    private let routerNamespacePrefix: String
    private let requests: ControllerRequests
    private let scriptChecks: Bool
    private let workloads: @Sendable () async -> [String: String]
    private var loops: [String: (target: Target, task: Task<Void, Never>)] = [:]
    private var tallies: [String: HealthTally] = [:]
    private var latest: [String: EndpointHealth] = [:]
    private var unsent: [String: EndpointHealth] = [:]
    private var flusher: Task<Void, Never>?

    /// `scriptChecks`: whether script and container checks may run here (`--enable-script-checks`);
    /// `workloads` gives the network namespace of each local port a runtime plugged in.
    public init(kernel: any Kernel, routerNamespacePrefix: String, requests: ControllerRequests, scriptChecks: Bool = false,
                workloads: @escaping @Sendable () async -> [String: String] = { [:] }) {
        self.kernel = kernel
        self.routerNamespacePrefix = routerNamespacePrefix
        self.requests = requests
        self.scriptChecks = scriptChecks
        self.workloads = workloads
    }

    /// The checks `state` asks of this host: one per checked service and local endpoint.
    static func targets(_ state: HostState, routerNamespacePrefix: String) -> [String: Target] {
        var result: [String: Target] = [:]
        for (id, service) in state.services ?? [:] {
            guard let check = service.healthCheck else { continue }
            for endpoint in service.endpoints where state.ports[endpoint.port] != nil {
                result["\(id)/\(endpoint.port)"] = Target(service: id, port: endpoint.port, address: endpoint.ip, check: check,
                                                          namespace: routerNamespacePrefix + service.router)
            }
        }
        return result
    }

    /// Starts, restarts and stops check loops to match `state`.
    public func follow(_ state: HostState) async {
        var wanted = Self.targets(state, routerNamespacePrefix: routerNamespacePrefix)
        if wanted.values.contains(where: { $0.check.type == "container" }) {
            let namespaces = await workloads()
            for (key, target) in wanted where target.check.type == "container" { wanted[key]?.workload = namespaces[target.port] }
        }
        for (key, loop) in loops where wanted[key] != loop.target {
            loop.task.cancel()
            loops[key] = nil
            (tallies[key], latest[key], unsent[key]) = (nil, nil, nil)
        }
        for (key, target) in wanted where loops[key] == nil {
            loops[key] = (target, Task { [weak self] in await self?.loop(key, target) })
        }
        if flusher == nil, !wanted.isEmpty {
            flusher = Task { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    await self?.flush()
                }
            }
        }
    }

    /// Every verdict held, as the first report of a session.
    public func reportAll() async {
        unsent = [:]
        await requests.tell(.endpointHealth(EndpointHealthReport(complete: true, endpoints: latest.values.sorted { ($0.service, $0.port) < ($1.service, $1.port) })))
    }

    private func loop(_ key: String, _ target: Target) async {
        while !Task.isCancelled {
            let (passed, output) = await HealthProbe.run(target.check, address: target.address, namespace: target.namespace, kernel: kernel,
                                                         scriptChecks: scriptChecks, workload: target.workload)
            guard !Task.isCancelled else { return }
            await record(key, target, passed: passed, output: output)
            try? await Task.sleep(for: .seconds(target.check.interval))
        }
    }

    private func record(_ key: String, _ target: Target, passed: Bool, output: String) async {
        guard loops[key]?.target == target else { return }
        var tally = tallies[key] ?? HealthTally()
        let changed = tally.record(passed: passed, rise: target.check.rise, fall: target.check.fall)
        tallies[key] = tally
        let health = EndpointHealth(service: target.service, port: target.port, healthy: tally.healthy,
                                    checkedAt: Date().timeIntervalSince1970, output: String(decoding: output.utf8.prefix(EndpointHealth.maximumOutput), as: UTF8.self))
        let first = latest[key] == nil
        latest[key] = health
        unsent[key] = health
        if changed || first { await flush() }
    }

    private func flush() async {
        guard !unsent.isEmpty else { return }
        let endpoints = unsent.values.sorted { ($0.service, $0.port) < ($1.service, $1.port) }
        unsent = [:]
        await requests.tell(.endpointHealth(EndpointHealthReport(complete: false, endpoints: endpoints)))
    }
}
