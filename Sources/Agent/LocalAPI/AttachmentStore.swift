import LocalAPI
import Foundation
import PKI

/// The ports attached on this host, persisted in the state directory so an agent restart keeps
/// them, and announced to whoever realizes them.
public actor AttachmentStore {
    private let file: String
    private var attachments: [String: PortAttachment]
    private var subscribers: [UUID: AsyncStream<[PortAttachment]>.Continuation] = [:]

    /// Loads `attachments.json` from the state directory, if there is one.
    public init(stateDirectory: String) throws {
        file = (stateDirectory as NSString).appendingPathComponent("attachments.json")
        if let data = FileManager.default.contents(atPath: file) {
            let stored = try JSONDecoder().decode([PortAttachment].self, from: data)
            attachments = Dictionary(uniqueKeysWithValues: stored.map { ($0.port, $0) })
        } else {
            attachments = [:]
        }
    }

    public var all: [PortAttachment] { attachments.values.sorted { $0.port < $1.port } }

    /// The attachments keyed by port id, as the port manager reads them.
    public var byPort: [String: PortAttachment] { attachments }

    /// Attaches a port; attaching it again to the same place is a no-op, elsewhere is refused.
    /// `announcing: false` leaves subscribers unaware, for a caller that runs its own pass.
    public func attach(_ attachment: PortAttachment, announcing: Bool = true) throws -> PortAttachment {
        let attachment = try attachment.validated()
        if let existing = attachments[attachment.port] {
            guard existing == attachment else {
                throw LocalAPIError(code: "already_attached", message: "port \(attachment.port) is attached to \(existing.namespace)/\(existing.interfaceName)")
            }
            return existing
        }
        if let clash = attachments.values.first(where: { $0.namespace == attachment.namespace && $0.interfaceName == attachment.interfaceName }) {
            throw LocalAPIError(code: "interface_taken", message: "\(attachment.namespace)/\(attachment.interfaceName) already holds port \(clash.port)")
        }
        attachments[attachment.port] = attachment
        try persist(announcing: announcing)
        return attachment
    }

    /// Detaches a port; detaching one that is not attached is not an error (CNI DEL is idempotent).
    public func detach(port: String) throws -> PortAttachment? {
        guard let removed = attachments.removeValue(forKey: port) else { return nil }
        try persist()
        return removed
    }

    public func attachment(of port: String) -> PortAttachment? { attachments[port] }

    /// The attachments a runtime made for a container: one interface's, or all of them.
    public func attachments(runtime: String, containerID: String, interfaceName: String?) -> [PortAttachment] {
        all.filter { attachment in
            guard let owner = attachment.owner else { return false }
            return owner.runtime == runtime && owner.containerID == containerID && (interfaceName == nil || owner.interfaceName == interfaceName)
        }
    }

    /// The attachments a runtime made on `network`.
    public func attachments(runtime: String, network: WorkloadNetwork) -> [PortAttachment] {
        all.filter { $0.owner?.runtime == runtime && $0.network == network }
    }

    /// The current attachments now and after every change.
    public func changes() -> AsyncStream<[PortAttachment]> {
        let (stream, continuation) = AsyncStream.makeStream(of: [PortAttachment].self, bufferingPolicy: .bufferingNewest(1))
        let id = UUID()
        subscribers[id] = continuation
        continuation.onTermination = { [weak self] _ in Task { await self?.unsubscribe(id) } }
        continuation.yield(all)
        return stream
    }

    private func unsubscribe(_ id: UUID) { subscribers[id] = nil }

    private func persist(announcing: Bool = true) throws {
        try AtomicFile.replace(file, with: Array(try JSONEncoder().encode(all)), mode: 0o600)
        guard announcing else { return }
        for continuation in subscribers.values { continuation.yield(all) }
    }
}
