/// One line of `GET /v1/watch`: a committed change of one object, or a bookmark.
public struct WatchEvent: Sendable {
    /// The revision that committed the change; for a bookmark, the revision the stream has reached.
    public var revision: Int64
    public var type: WatchEventType
    /// The collection, as in the audit trail (`ports`, `services`, …); nil for a bookmark.
    public var kind: String?
    public var id: String?
    /// The object as stored at `revision` (as a GET returns it, without `status`); nil when deleted.
    public var object: (any Encodable & Sendable)?

    public init(revision: Int64, type: WatchEventType, kind: String? = nil, id: String? = nil, object: (any Encodable & Sendable)? = nil) {
        self.revision = revision
        self.type = type
        self.kind = kind
        self.id = id
        self.object = object
    }
}

extension WatchEvent: Encodable {
    enum CodingKeys: String, CodingKey { case revision, type, kind, id, object }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(revision, forKey: .revision)
        try container.encode(type, forKey: .type)
        try container.encodeIfPresent(kind, forKey: .kind)
        try container.encodeIfPresent(id, forKey: .id)
        if let object { try object.encode(to: container.superEncoder(forKey: .object)) }
    }
}

public enum WatchEventType: String, Codable, Sendable {
    case created, updated, deleted
    /// No change, but the stream has seen every commit up to the event's revision.
    case bookmark
    /// A service's endpoints changed health (status, not a commit: the revision is the one the
    /// stream has reached); `object` lists its endpoints with their health, as
    /// `GET /v1/services/{id}/endpoints` does. A stream starts with one for every service whose
    /// endpoints are checked.
    case health
}

/// `GET /v1/watch?since=R&kind=K…`.
public struct WatchQuery: Sendable, Equatable {
    /// Changes after this revision; nil: from the current one.
    public var since: Int64?
    /// The collections watched; empty: all of them.
    public var kinds: Set<String>

    public init(since: Int64? = nil, kinds: Set<String> = []) {
        self.since = since
        self.kinds = kinds
    }

    /// The collections a watch may name: the audit trail's, but tokens (whose changes are not
    /// something to follow).
    public static let kinds = AuditQuery.kinds.filter { $0 != "tokens" }
}
