import LocalAPI
import Foundation
import Kernel
import Logging

/// The agent's kernel side: the reconciler with its managers, the local API that attaches ports,
/// and the periodic resync that repairs drift.
public struct KernelDataplane: Sendable {
    public let realizer: KernelRealizer
    let attachments: AttachmentStore
    let localAPI: LocalAPIServer
    let dockerPlugin: DockerPluginServer?
    let resyncInterval: Duration
    let logger: Logger

    /// Opens the attachment store in `stateDirectory` and binds the local API at `socketPath`, and
    /// Docker's plugin socket at `dockerPlugin` when given; container runtimes' port requests go to
    /// the controller through `requests`. Services' script and container checks run only with `scriptChecks`.
    public static func start(kernel: any Kernel, stateDirectory: String, socketPath: String, dockerPlugin: String? = nil,
                             resyncInterval: Duration, routers: RouterOptions = RouterOptions(),
                             requests: ControllerRequests = ControllerRequests(), scriptChecks: Bool = false,
                             logger: Logger) async throws -> KernelDataplane {
        let attachments = try AttachmentStore(stateDirectory: stateDirectory)
        let verification = RouterVerification()
        let placement = EdgePlacement()
        let reconciler = Reconciler(kernel: kernel, managers: [
            SwitchManager(), FDBManager(), NeighbourManager(), PortGuardManager(), PolicyManager(),
            PortManager(attachments: { await attachments.byPort }),
            GatewayMACManager(),
            RouterManager(namespacePrefix: routers.namespacePrefix, verification: verification),
            EdgeManager(namespacePrefix: routers.namespacePrefix, externalLink: routers.externalLink, verification: verification,
                        placement: placement),
            RouteManager(namespacePrefix: routers.namespacePrefix, verification: verification),
            LoadBalancerManager(namespacePrefix: routers.namespacePrefix),
        ], logger: logger)
        let health = HealthChecker(kernel: kernel, routerNamespacePrefix: routers.namespacePrefix, requests: requests,
                                   scriptChecks: scriptChecks,
                                   workloads: { await attachments.byPort.filter { $0.value.handedOver != true }.mapValues(\.namespace) })
        await requests.whenConnected { await health.reportAll() }
        let realizer = KernelRealizer(reconciler: reconciler, placement: placement, health: health,
                                      dns: DNSServers(kernel: kernel, namespacePrefix: routers.namespacePrefix, logger: logger))
        let runtime = RuntimePorts(attachments: attachments, requests: requests, realizer: realizer, kernel: kernel)
        let localAPI = try await LocalAPIServer.bind(path: socketPath, store: attachments, runtime: runtime, logger: logger)
        var docker: DockerPluginServer?
        if let dockerPlugin {
            let driver = try DockerDriver(ports: runtime, stateDirectory: stateDirectory)
            docker = try await DockerPluginServer.bind(path: dockerPlugin, driver: driver, logger: logger)
        }
        return KernelDataplane(realizer: realizer, attachments: attachments, localAPI: localAPI, dockerPlugin: docker,
                               resyncInterval: resyncInterval, logger: logger)
    }

    /// Adopts the state realized before a restart (a pass that matches writes nothing; edge uplinks
    /// wait for the controller, see ``EdgePlacement``), then serves
    /// the local API, reconciles on every attach or detach, and resyncs on a timer until cancelled.
    public func run(adopting previous: AppliedState?) async throws {
        if let previous {
            let errors = await realizer.adopt(previous.state)
            if !errors.isEmpty { logger.warning("adopting the previous state left errors", metadata: ["errors": "\(errors)"]) }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await localAPI.run() }
            if let dockerPlugin { group.addTask { try await dockerPlugin.run() } }
            group.addTask {
                for await _ in await attachments.changes() { _ = await realizer.resync() }
            }
            group.addTask {
                while true {
                    try await Task.sleep(for: resyncInterval)
                    let started = ContinuousClock.now
                    let errors = await realizer.resync()
                    let milliseconds = (ContinuousClock.now - started) / .milliseconds(1)
                    logger.debug("resync", metadata: ["ms": "\(String(format: "%.2f", milliseconds))", "errors": "\(errors.count)"])
                    if !errors.isEmpty { logger.warning("resync left errors", metadata: ["errors": "\(errors)"]) }
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }
}
