import LocalAPI
import Foundation
import PKI

/// The ports attached on this host, persisted in the state directory so an agent restart keeps
/// them, and announced to whoever realizes them.
///
/// Each attach or detach is one synced line in `attachments.journal` before it is answered, so
/// attaching the thousandth port costs what the first did; the journal is folded into
/// `attachments.json` when it holds more records than there are attachments, and on start.
public actor AttachmentStore {
    /// One attach or detach, as journalled.
    struct Change: Codable, Sendable {
        var attach: PortAttachment?
        var detach: String?
    }

    private let file: String
    private var journal: Journal<Change>
    private var attachments: [String: PortAttachment]
    private var subscribers: [UUID: AsyncStream<Void>.Continuation] = [:]

    /// Loads `attachments.json` and the journal beside it, if there are, and folds them together.
    public init(stateDirectory: String) throws {
        file = (stateDirectory as NSString).appendingPathComponent("attachments.json")
        var journal = Journal<Change>(path: (stateDirectory as NSString).appendingPathComponent("attachments.journal"))
        var attachments: [String: PortAttachment] = [:]
        if let data = FileManager.default.contents(atPath: file) {
            let stored = try JSONDecoder().decode([PortAttachment].self, from: data)
            attachments = Dictionary(stored.map { ($0.port, $0) }, uniquingKeysWith: { _, last in last })
        }
        let changes = try journal.records()
        for change in changes { Self.fold(change, into: &attachments) }
        if !changes.isEmpty {
            try Self.writeSnapshot(attachments, to: file)
            journal.clear()
        }
        self.attachments = attachments
        self.journal = journal
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
        try apply(Change(attach: attachment), announcing: announcing)
        return attachment
    }

    /// Detaches a port; detaching one that is not attached is not an error (CNI DEL is idempotent).
    public func detach(port: String) throws -> PortAttachment? {
        guard let removed = attachments[port] else { return nil }
        try apply(Change(detach: port), announcing: true)
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

    /// Yields now and after every change; a subscriber reads ``byPort`` when it wakes.
    public func changes() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let id = UUID()
        subscribers[id] = continuation
        continuation.onTermination = { [weak self] _ in Task { await self?.unsubscribe(id) } }
        continuation.yield()
        return stream
    }

    private func unsubscribe(_ id: UUID) { subscribers[id] = nil }

    /// Journals `change` (synced), then makes it and wakes the subscribers; nothing changes when the
    /// journal cannot be written. A failed compaction is left for the next change to retry.
    private func apply(_ change: Change, announcing: Bool) throws {
        try journal.append(change)
        Self.fold(change, into: &attachments)
        if journal.count > max(64, attachments.count) { try? compact() }
        guard announcing else { return }
        for continuation in subscribers.values { continuation.yield() }
    }

    private static func fold(_ change: Change, into attachments: inout [String: PortAttachment]) {
        if let attach = change.attach { attachments[attach.port] = attach }
        if let detach = change.detach { attachments[detach] = nil }
    }

    /// Writes every attachment to `attachments.json` and empties the journal.
    private func compact() throws {
        try Self.writeSnapshot(attachments, to: file)
        journal.clear()
    }

    private static func writeSnapshot(_ attachments: [String: PortAttachment], to file: String) throws {
        try AtomicFile.replace(file, with: Array(try JSONEncoder().encode(attachments.values.sorted { $0.port < $1.port })), mode: 0o600)
    }
}
