/// An API token. Only its hash is stored; the secret appears once, in the response that created it.
public struct Token: Codable, Equatable, Sendable {
    public var id: String
    public var tenant: String
    public var project: String?
    /// The bearer secret; present only in the creation response.
    public var token: String?
    public var revision: Int64

    public init(id: String, tenant: String, project: String? = nil, token: String? = nil, revision: Int64) {
        self.id = id
        self.tenant = tenant
        self.project = project
        self.token = token
        self.revision = revision
    }
}

public struct TokenCreate: Codable, Sendable {
    public var project: String?

    public init(project: String? = nil) {
        self.project = project
    }
}
