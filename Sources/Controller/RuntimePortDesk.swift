import Northbound
import Southbound
import Store

/// Answers the port requests of hosts' container runtimes, which reach the controller over the
/// host's session: the host's certificate is its identity, and the cluster it names must list it.
struct RuntimePortDesk: Sendable {
    let store: Store

    /// The answer to a request of host `hostID`; refusals carry the API's codes and fields.
    func answer(_ message: AgentMessage, host hostID: String) async -> PortAnswer? {
        let requestID: Int64
        let outcome: Result<Committed<[String]>, any Error>
        switch message {
        case .requestPort(let request):
            requestID = request.requestID
            outcome = await Self.attempt {
                let created = try await store.createRuntimePort(
                    RuntimePortRequest(tenant: request.tenant, switch: request.switch, cluster: request.cluster, ip: request.ip,
                                       labels: request.labels, runtime: request.owner.runtime, containerID: request.owner.containerID,
                                       interface: request.owner.interface),
                    host: hostID)
                // A repeated request finds the port as an earlier revision committed it.
                return Committed(value: [created.value.id], revision: created.value.revision)
            }
        case .releasePorts(let release):
            requestID = release.requestID
            outcome = await Self.attempt {
                try await store.deleteRuntimePorts(host: hostID, runtime: release.runtime, containerID: release.containerID,
                                                   interface: release.interface)
            }
        case .collectPorts(let collection):
            requestID = collection.requestID
            outcome = await Self.attempt {
                try await store.collectRuntimePorts(
                    host: hostID, runtime: collection.runtime, tenant: collection.tenant, switch: collection.switch,
                    keep: Set(collection.keep.map { RuntimeAttachmentKey(containerID: $0.containerID, interface: $0.interface) }))
            }
        default:
            return nil
        }
        switch outcome {
        case .success(let committed):
            return PortAnswer(requestID: requestID, ports: committed.value, revision: committed.revision)
        case .failure(let error as ModelError):
            return PortAnswer(requestID: requestID, error: PortRefusal(code: error.code.rawValue, field: error.field, message: error.message))
        case .failure(let error):
            return PortAnswer(requestID: requestID, error: PortRefusal(code: "unavailable", message: "the controller could not commit: \(error)"))
        }
    }
}

extension RuntimePortDesk {
    private static func attempt<T>(_ body: () async throws -> T) async -> Result<T, any Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }
}
