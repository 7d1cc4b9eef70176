import Northbound

/// Who is making the mutations of the current task: the token the API authenticated (its id, never
/// its secret) and the scope it grants. The API sets it for each request; the store records it with every row a
/// mutation changes (table triggers write the audit trail, so no write path can forget). Writes
/// the controller makes itself (edge availability, enrollment) have none.
public struct AuditActor: Sendable, Equatable {
    public var token: String
    public var scope: Scope

    public init(token: String, scope: Scope) {
        self.token = token
        self.scope = scope
    }

    @TaskLocal public static var current: AuditActor?

    /// `admin`, `tenant:tn-…` or `project:pj-…`, as the trail stores it.
    var scopeDescription: String {
        switch scope {
        case .admin: "admin"
        case .tenant(let tenant): "tenant:\(tenant)"
        case .project(_, let project): "project:\(project)"
        }
    }
}
