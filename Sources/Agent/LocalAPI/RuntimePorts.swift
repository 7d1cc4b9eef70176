import Kernel
import LocalAPI
import Southbound

/// The local API's side for container runtimes (the CNI plugin, the Docker driver): they name a
/// network and a container's interface, the agent asks the controller for the port, plugs it in,
/// and answers with the interface as the workload sees it once a pass has realized it.
public struct RuntimePorts: Sendable {
    let attachments: AttachmentStore
    let requests: ControllerRequests
    let realizer: KernelRealizer
    let kernel: any Kernel
    /// How long an add waits for the controller's state holding the new port.
    let realizeTimeout: Duration

    public init(attachments: AttachmentStore, requests: ControllerRequests, realizer: KernelRealizer, kernel: any Kernel,
                realizeTimeout: Duration = .seconds(10)) {
        self.attachments = attachments
        self.requests = requests
        self.realizer = realizer
        self.kernel = kernel
        self.realizeTimeout = realizeTimeout
    }

    /// Creates (or finds, when the same interface asks again) the port, plugs it into `namespace`
    /// and waits until a pass realized it. `handedOver`: the workload end is left in the host's
    /// namespace for the runtime to take (Docker); `namespace` is empty then.
    func add(owner: AttachmentOwner, namespace: String, network: WorkloadNetwork, ip: String?, labels: [String: String],
             mtu: Int?, defaultRoute: Bool, handedOver: Bool = false) async throws -> WorkloadInterface {
        // Refuse what cannot be plugged in before the controller commits a port for it.
        let namespace = try PortAttachment(port: "pt-0", namespace: namespace, interfaceName: owner.interfaceName, mtu: mtu,
                                           handedOver: handedOver ? true : nil).validated().namespace
        let answer = try await ask {
            .requestPort(PortRequest(requestID: $0, tenant: network.tenant, switch: network.switch, cluster: network.cluster, ip: ip,
                                     labels: labels, owner: RuntimeOwner(runtime: owner.runtime, containerID: owner.containerID,
                                                                         interface: owner.interfaceName)))
        }
        guard let port = answer.ports.first else { throw LocalAPIError(code: "internal", message: "the controller named no port") }
        // Not announced: the pass awaited here plugs it in, no resync needed.
        let attachment = try await attachments.attach(PortAttachment(port: port, namespace: namespace, interfaceName: owner.interfaceName,
                                                                     owner: owner, network: network, mtu: mtu, defaultRoute: defaultRoute,
                                                                     handedOver: handedOver ? true : nil),
                                                      announcing: false)
        let stamp = await realizer.queuedPasses
        guard let (state, errors) = await realizer.pass(queuedAfter: stamp, atLeast: answer.revision, timeout: realizeTimeout) else {
            throw LocalAPIError(code: "unavailable", message: "the state holding port \(port) did not arrive within \(realizeTimeout)")
        }
        if let error = errors.first(where: { $0.object == port }) {
            throw LocalAPIError(code: "not_realized", message: "port \(port): \(error.message)")
        }
        guard var interface = Self.interface(attachment, in: state) else {
            throw LocalAPIError(code: "not_realized", message: "port \(port) is not in this host's state")
        }
        interface.hostInterface = DeviceName.port(port)
        interface.hostMAC = (try? await kernel.links(in: nil))?.first(where: { $0.name == interface.hostInterface })?.mac
        return interface
    }

    /// Unplugs a container's interfaces (one, or all when `interfaceName` is nil) and has the
    /// controller delete their ports; what is already gone is not an error. Returns without
    /// waiting for the kernel: the detach's resync and the delta without the ports remove the
    /// veth (and a deleted namespace takes the pair with it).
    func remove(runtime: String, containerID: String, interfaceName: String?) async throws -> [PortAttachment] {
        let removed = await attachments.attachments(runtime: runtime, containerID: containerID, interfaceName: interfaceName)
        for attachment in removed { _ = try await attachments.detach(port: attachment.port) }
        _ = try await ask {
            .releasePorts(PortRelease(requestID: $0, runtime: runtime, containerID: containerID, interface: interfaceName))
        }
        return removed
    }

    /// Adds labels to the ports a container's attachments own (the controller merges them).
    /// Returns once committed, not realized: a label change that touches no policy changes no
    /// host's state, so no revision would tell the agent it arrived.
    func label(runtime: String, containerID: String, labels: [String: String]) async throws {
        _ = try await ask { .labelPorts(PortLabels(requestID: $0, runtime: runtime, containerID: containerID, labels: labels)) }
    }

    /// Compares the kernel with the port of a container's interface: the interface exists in its
    /// namespace with the port's MAC and address. Repairs nothing (the resync does).
    func verify(owner: AttachmentOwner) async throws -> WorkloadInterface {
        guard let attachment = await attachments.attachments(runtime: owner.runtime, containerID: owner.containerID,
                                                             interfaceName: owner.interfaceName).first else {
            throw LocalAPIError(code: "not_attached", message: "container \(owner.containerID) has no interface \(owner.interfaceName) here")
        }
        guard let state = await realizer.desired, let interface = Self.interface(attachment, in: state) else {
            throw LocalAPIError(code: "not_realized", message: "port \(attachment.port) is not in this host's state")
        }
        let links = (try? await kernel.links(in: attachment.namespace)) ?? []
        guard let link = links.first(where: { $0.name == attachment.interfaceName }) else {
            throw LocalAPIError(code: "interface_mismatch", message: "\(attachment.interfaceName) is missing from \(attachment.namespace)")
        }
        guard link.mac.lowercased() == interface.mac.lowercased() else {
            throw LocalAPIError(code: "interface_mismatch", message: "\(attachment.interfaceName) has MAC \(link.mac), not \(interface.mac)")
        }
        let (address, prefixLength) = PortManager.split(interface.ip)
        let addresses = (try? await kernel.addresses(device: attachment.interfaceName, in: attachment.namespace)) ?? []
        guard addresses.contains(where: { $0.address == address && $0.prefixLength == prefixLength }) else {
            throw LocalAPIError(code: "interface_mismatch", message: "\(attachment.interfaceName) lacks its address \(interface.ip)")
        }
        return interface
    }

    /// Garbage collection on one network: unplugs and deletes the runtime's attachments there
    /// that are not in `keep`, including ports the controller holds for this host that the agent
    /// no longer knows.
    func collect(runtime: String, network: WorkloadNetwork, keep: [AttachmentOwner]) async throws -> [PortAttachment] {
        let kept = Set(keep.map { AttachmentOwner(runtime: runtime, containerID: $0.containerID, interfaceName: $0.interfaceName) })
        let leaked = await attachments.attachments(runtime: runtime, network: network).filter { $0.owner.map { !kept.contains($0) } ?? false }
        for attachment in leaked { _ = try await attachments.detach(port: attachment.port) }
        _ = try await ask {
            .collectPorts(PortCollection(requestID: $0, runtime: runtime, tenant: network.tenant, switch: network.switch,
                                         keep: keep.map { RuntimeOwner(runtime: runtime, containerID: $0.containerID, interface: $0.interfaceName) }))
        }
        return leaked
    }

    /// Whether ports can be added now: a session with the controller is up.
    func status() async throws {
        guard await requests.isConnected else {
            throw LocalAPIError(code: "unavailable", message: "the agent has no session with the controller")
        }
    }

    private func ask(_ make: @Sendable (Int64) -> AgentMessage) async throws -> PortAnswer {
        do {
            return try await requests.ask(make)
        } catch let refusal as PortRefusal {
            throw LocalAPIError(code: refusal.code, message: refusal.field.map { "\($0): \(refusal.message)" } ?? refusal.message)
        }
    }

    static func interface(_ attachment: PortAttachment, in state: HostState) -> WorkloadInterface? {
        guard let desired = state.ports[attachment.port] else { return nil }
        return WorkloadInterface(port: attachment.port, interfaceName: attachment.interfaceName, namespace: attachment.namespace,
                                 mac: desired.mac, ip: desired.ip, gateway: desired.gateway, ip6: desired.ip6, gateway6: desired.gateway6,
                                 mtu: attachment.mtu(onSwitchOf: desired.mtu), defaultRoute: attachment.defaultRoute ?? true,
                                 dns: dns(onSwitch: desired.switch, in: state))
    }

    /// The DNS server of the port's switch: the address of the router leg on it, when the router
    /// serves a zone.
    static func dns(onSwitch switchID: String, in state: HostState) -> WorkloadDNS? {
        for (id, router) in state.routers.sorted(by: { $0.key < $1.key }) {
            guard let zone = state.dns?[id], let leg = router.interfaces.first(where: { $0.switch == switchID }) else { continue }
            return WorkloadDNS(nameservers: [String(leg.ip.split(separator: "/").first ?? "")], search: [zone.zone])
        }
        return nil
    }
}
