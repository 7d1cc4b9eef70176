import Northbound

extension Store {
    static let projectList = ListRequest(table: "projects", filterColumns: ["tenant": "tenant", "name": "name"], hasLabels: true)

    public func createProject(_ request: ProjectCreate, scope: Scope) async throws -> Committed<Project> {
        guard scope.project == nil else { throw ModelError(.forbidden, "a project-scoped token cannot create projects") }
        let name = try Validate.name(request.name)
        let labels = try Validate.labels(request.labels)
        return try await write { db, revision in
            let (tenant, _) = try WriteChecks.owner(db, scope: scope, tenant: request.tenant, project: nil)
            try WriteChecks.requireUnique(db, table: "projects", kind: "project", name: name, within: ("tenant", tenant))
            let project = Project(id: WriteChecks.newID(.project), tenant: tenant, name: name, labels: labels, revision: revision)
            try db.execute(sql: "INSERT INTO projects (id, tenant, name, labels, revision) VALUES (?, ?, ?, ?, ?)",
                           arguments: [project.id, tenant, name, LabelsColumn.encode(labels), revision])
            return project
        }
    }

    public func project(_ id: String, scope: Scope) async throws -> Project {
        try await read { db in try Self.decodeProject(Self.visibleProject(db, id, scope: scope)) }
    }

    public func projects(_ query: ListQuery, scope: Scope) async throws -> Page<Project> {
        try await read { db in
            try Self.projectList.page(db, query: query, visibility: .visible(to: scope, projectColumn: "id"), decode: Self.decodeProject)
        }
    }

    public func updateProject(_ id: String, _ request: ProjectUpdate, scope: Scope) async throws -> Committed<Project> {
        let labels = try request.labels.map { try Validate.labels($0) }
        return try await write { db, revision in
            var project = try Self.decodeProject(Self.visibleProject(db, id, scope: scope))
            if let labels { project.labels = labels }
            project.revision = revision
            try db.execute(sql: "UPDATE projects SET labels = ?, revision = ? WHERE id = ?",
                           arguments: [LabelsColumn.encode(project.labels), revision, id])
            return project
        }
    }

    public func deleteProject(_ id: String, scope: Scope) async throws -> Committed<String> {
        try await write { db, _ in
            _ = try Self.visibleProject(db, id, scope: scope)
            try WriteChecks.requireUnused(db, kind: "project", id: id, references: [
                ("switches", "project", "switches"), ("routers", "project", "routers"), ("floating_ips", "project", "floating IPs"),
                ("tokens", "project", "tokens"), ("clusters", "project", "clusters"), ("policies", "project", "policies"),
                ("services", "project", "services"),
            ])
            try db.execute(sql: "DELETE FROM projects WHERE id = ?", arguments: [id])
            return id
        }
    }

    static func visibleProject(_ db: any SQLConnection, _ id: String, scope: Scope) throws -> SQLRow {
        try WriteChecks.visibleRow(db, table: "projects", kind: "project", id: id, scope: scope, projectColumn: "id")
    }

    static func decodeProject(_ row: SQLRow) throws -> Project {
        Project(id: row["id"], tenant: row["tenant"], name: row["name"], labels: LabelsColumn.decode(row["labels"]), revision: row["revision"])
    }
}
