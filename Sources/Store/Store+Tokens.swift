import Northbound

extension Store {
    /// Creates a token for a tenant, optionally scoped to one of its projects. The secret is returned once.
    public func createToken(tenant: String, _ request: TokenCreate, scope: Scope) async throws -> Committed<Token> {
        try Self.requireAdmin(scope)
        let secret = TokenSecret.make(admin: false)
        return try await write { db, revision in
            guard try WriteChecks.exists(db, table: "tenants", id: tenant) else { throw ModelError.notFound("tenant", tenant) }
            if let project = request.project,
               try db.value(Bool.self, sql: "SELECT 1 FROM projects WHERE id = ? AND tenant = ?", arguments: [project, tenant]) == nil {
                throw ModelError.notFound("project", project, field: "project")
            }
            let token = Token(id: WriteChecks.newID(.token), tenant: tenant, project: request.project, token: secret, revision: revision)
            try db.execute(sql: "INSERT INTO tokens (id, hash, tenant, project, revision) VALUES (?, ?, ?, ?, ?)",
                           arguments: [token.id, TokenSecret.hash(secret), tenant, request.project, revision])
            return token
        }
    }

    public func tokens(tenant: String, scope: Scope) async throws -> Page<Token> {
        try Self.requireAdmin(scope)
        return try await read { db in
            guard try WriteChecks.exists(db, table: "tenants", id: tenant) else { throw ModelError.notFound("tenant", tenant) }
            let rows = try db.rows(sql: "SELECT * FROM tokens WHERE tenant = ? ORDER BY id", arguments: [tenant])
            return Page(items: rows.map { Token(id: $0["id"], tenant: $0["tenant"], project: $0["project"], token: nil, revision: $0["revision"]) },
                        next: nil)
        }
    }

    public func deleteToken(tenant: String, token id: String, scope: Scope) async throws -> Committed<String> {
        try Self.requireAdmin(scope)
        defer { tokenCache.invalidate() }
        return try await write { db, _ in
            guard try db.value(Bool.self, sql: "SELECT 1 FROM tokens WHERE id = ? AND tenant = ?", arguments: [id, tenant]) != nil else {
                throw ModelError.notFound("token", id)
            }
            try db.execute(sql: "DELETE FROM tokens WHERE id = ?", arguments: [id])
            try self.backend.announce(.tokensRevoked, in: db)
            return id
        }
    }

    /// The token a bearer secret is, with the scope it grants, or nil when no such token exists.
    public func token(forSecret secret: String) async throws -> AuditActor? {
        let hash = TokenSecret.hash(secret)
        return try await tokenCache.token(forHash: hash) {
            try await read { db in
                guard let row = try db.row(sql: "SELECT id, tenant, project FROM tokens WHERE hash = ?", arguments: [hash]) else {
                    return nil
                }
                let scope: Scope = switch (row["tenant"] as String?, row["project"] as String?) {
                case (nil, _): .admin
                case (let tenant?, nil): .tenant(tenant)
                case (let tenant?, let project?): .project(tenant: tenant, project: project)
                }
                return AuditActor(token: row["id"], scope: scope)
            }
        }
    }
}
