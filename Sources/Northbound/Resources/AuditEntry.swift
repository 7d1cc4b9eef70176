/// One change in the audit trail: a row of `kind` created, updated or deleted at `revision`, by a
/// token (its id and scope; nil for the controller's own changes).
public struct AuditEntry: Codable, Equatable, Sendable {
    /// The entry's place in the trail; the list's cursor.
    public var sequence: Int64
    public var revision: Int64
    /// When it committed, ISO 8601 UTC.
    public var at: String
    public var actor: AuditEntryActor?
    public var tenant: String?
    public var project: String?
    /// The API collection of the object: `ports`, `switches`, `floating-ips`, …
    public var kind: String
    public var object: String
    public var operation: AuditOperation

    public init(sequence: Int64, revision: Int64, at: String, actor: AuditEntryActor?, tenant: String?, project: String?,
                kind: String, object: String, operation: AuditOperation) {
        self.sequence = sequence
        self.revision = revision
        self.at = at
        self.actor = actor
        self.tenant = tenant
        self.project = project
        self.kind = kind
        self.object = object
        self.operation = operation
    }
}

/// The token behind a change: its id (never its secret) and its scope (`admin`, `tenant:tn-…`, `project:pj-…`).
public struct AuditEntryActor: Codable, Equatable, Sendable {
    public var token: String
    public var scope: String

    public init(token: String, scope: String) {
        self.token = token
        self.scope = scope
    }
}

public enum AuditOperation: String, Codable, Sendable, CaseIterable {
    case create, update, delete
}

/// What `GET /v1/audit` asks for: entries after `cursor`, narrowed by kind, object and operation.
public struct AuditQuery: Equatable, Sendable {
    public var kind: String?
    public var object: String?
    public var operation: AuditOperation?
    public var limit: Int
    /// The `sequence` of the last entry already seen.
    public var cursor: Int64?

    /// The kinds the trail records, as API collections.
    public static let kinds = ["tenants", "projects", "clusters", "switches", "ports", "routers", "router-interfaces", "routes",
                               "floating-ips", "tokens", "external-networks", "hosts", "policies", "services"]

    public init(kind: String? = nil, object: String? = nil, operation: AuditOperation? = nil, limit: Int = ListQuery.defaultLimit,
                cursor: Int64? = nil) {
        self.kind = kind
        self.object = object
        self.operation = operation
        self.limit = limit
        self.cursor = cursor
    }
}
