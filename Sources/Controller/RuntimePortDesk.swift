import Northbound
import Southbound
import Store

/// Answers the port requests of hosts' container runtimes, which reach the controller over the
/// host's session: the host's certificate is its identity, and the cluster it names must list it.
struct RuntimePortDesk: Sendable {
    let store: Store

    /// The answer to a request of host `hostID` (nil for messages that are not port requests);
    /// refusals carry the API's codes and fields.
    func answer(_ message: AgentMessage, host hostID: String) async -> PortAnswer? {
        guard let requestID = message.portRequestID else { return nil }
        do {
            let committed = try await commit(message, host: hostID)
            return PortAnswer(requestID: requestID, ports: committed.value, revision: committed.revision)
        } catch let error as ModelError {
            return PortAnswer(requestID: requestID, error: PortRefusal(code: error.code.rawValue, field: error.field, message: error.message))
        } catch {
            return PortAnswer(requestID: requestID, error: PortRefusal(code: "unavailable", message: "the controller could not commit: \(error)"))
        }
    }

    /// The ports the request concerns and the revision the agent's state holds them from.
    private func commit(_ message: AgentMessage, host hostID: String) async throws -> Committed<[String]> {
        switch message {
        case .requestPort(let request):
            let created = try await store.createRuntimePort(
                RuntimePortRequest(tenant: request.tenant, switch: request.switch, cluster: request.cluster, ip: request.ip,
                                   labels: request.labels, runtime: request.owner.runtime, containerID: request.owner.containerID,
                                   interface: request.owner.interface),
                host: hostID)
            // A repeated request finds the port as an earlier revision committed it.
            return Committed(value: [created.value.id], revision: created.value.revision)
        case .releasePorts(let release):
            return try await store.deleteRuntimePorts(host: hostID, runtime: release.runtime, containerID: release.containerID,
                                                      interface: release.interface)
        case .collectPorts(let collection):
            return try await store.collectRuntimePorts(
                host: hostID, runtime: collection.runtime, tenant: collection.tenant, switch: collection.switch,
                keep: Set(collection.keep.map { RuntimeAttachmentKey(containerID: $0.containerID, interface: $0.interface) }))
        case .labelPorts(let labelling):
            return try await store.labelRuntimePorts(host: hostID, runtime: labelling.runtime, containerID: labelling.containerID,
                                                     labels: labelling.labels)
        default:
            throw ModelError(.invalidValue, "not a port request")
        }
    }
}

extension AgentMessage {
    /// The id of a port request, release, collection or labelling; nil for every other message.
    var portRequestID: Int64? {
        switch self {
        case .requestPort(let request): request.requestID
        case .releasePorts(let release): release.requestID
        case .collectPorts(let collection): collection.requestID
        case .labelPorts(let labelling): labelling.requestID
        default: nil
        }
    }
}
