/// What a caller may see and change, decided by its token.
public enum Scope: Sendable, Equatable {
    case admin
    case tenant(String)
    case project(tenant: String, project: String)

    public var isAdmin: Bool { self == .admin }

    public var tenant: String? {
        switch self {
        case .admin: nil
        case .tenant(let tenant), .project(let tenant, _): tenant
        }
    }

    public var project: String? {
        if case .project(_, let project) = self { return project }
        return nil
    }
}
