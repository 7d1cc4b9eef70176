import Foundation
import Northbound

/// Checks that every create shares: ownership, existence, name uniqueness, quotas.
enum WriteChecks {
    /// The tenant and project a new object belongs to, given the caller's scope and what it asked for.
    static func owner(_ db: any SQLConnection, scope: Scope, tenant requestedTenant: String?, project requestedProject: String?) throws -> (tenant: String, project: String?) {
        let tenant: String
        switch (scope.tenant, requestedTenant) {
        case (nil, nil):
            throw ModelError(.missingField, field: "tenant", "an admin must name the tenant")
        case (nil, let requested?):
            guard try exists(db, table: "tenants", id: requested) else { throw ModelError.notFound("tenant", requested, field: "tenant") }
            tenant = requested
        case (let own?, let requested?) where requested != own:
            throw ModelError.notFound("tenant", requested, field: "tenant")
        case (let own?, _):
            tenant = own
        }
        if let scoped = scope.project {
            if let requestedProject, requestedProject != scoped { throw ModelError.notFound("project", requestedProject, field: "project") }
            return (tenant, scoped)
        }
        if let requestedProject {
            let found = try db.value(Bool.self, sql: "SELECT 1 FROM projects WHERE id = ? AND tenant = ?", arguments: [requestedProject, tenant]) ?? false
            guard found else { throw ModelError.notFound("project", requestedProject, field: "project") }
        }
        return (tenant, requestedProject)
    }

    static func exists(_ db: any SQLConnection, table: String, id: String) throws -> Bool {
        try db.value(Bool.self, sql: "SELECT 1 FROM \(table) WHERE id = ?", arguments: [id]) ?? false
    }

    /// The row `id` of `table`, if the scope may see it; otherwise `not_found`.
    static func visibleRow(_ db: any SQLConnection, table: String, kind: String, id: String, scope: Scope, field: String? = nil,
                           tenantColumn: String = "tenant", projectColumn: String? = "project") throws -> SQLRow {
        var filter = SQLFilter.visible(to: scope, tenantColumn: tenantColumn, projectColumn: projectColumn)
        filter.add("id = ?", [id])
        guard let row = try db.row(sql: "SELECT * FROM \(table)\(filter.whereClause)", arguments: filter.arguments) else {
            throw ModelError.notFound(kind, id, field: field)
        }
        return row
    }

    static func requireUnique(_ db: any SQLConnection, table: String, kind: String, name: String, within: (column: String, value: String)? = nil) throws {
        var filter = SQLFilter()
        filter.add("name = ?", [name])
        if let within { filter.add("\(within.column) = ?", [within.value]) }
        if try db.value(Bool.self, sql: "SELECT 1 FROM \(table)\(filter.whereClause)", arguments: filter.arguments) ?? false {
            throw ModelError(.conflict, field: "name", "a \(kind) named '\(name)' already exists")
        }
    }

    /// `table` names the kind: usage is counted per table by the triggers of the schema.
    static func requireQuota(_ db: any SQLConnection, tenant: String, kind: KeyPath<Quotas, Int>, table: String, label: String) throws {
        let quotas = try self.quotas(db, tenant: tenant)
        let used = try db.value(Int.self, sql: "SELECT used FROM tenant_usage WHERE tenant = ? AND kind = ?",
                                      arguments: [tenant, table]) ?? 0
        if used >= quotas[keyPath: kind] {
            throw ModelError(.quotaExceeded, field: label, "tenant quota of \(quotas[keyPath: kind]) \(label) reached")
        }
    }

    /// A per-router limit: `table` rows with `router = routerID` must stay below the tenant's `kind` quota.
    static func requireRouterQuota(_ db: any SQLConnection, tenant: String, router routerID: String, kind: KeyPath<Quotas, Int>,
                                   table: String, label: String) throws {
        let limit = try quotas(db, tenant: tenant)[keyPath: kind]
        let used = try db.value(Int.self, sql: "SELECT COUNT(*) FROM \(table) WHERE router = ?", arguments: [routerID]) ?? 0
        if used >= limit {
            throw ModelError(.quotaExceeded, field: label, "tenant quota of \(limit) \(label) per router reached")
        }
    }

    static func quotas(_ db: any SQLConnection, tenant: String) throws -> Quotas {
        let text = try db.value(String.self, sql: "SELECT quotas FROM tenants WHERE id = ?", arguments: [tenant]) ?? "{}"
        return try JSONDecoder().decode(Quotas.self, from: Data(text.utf8))
    }

    /// Refuses to delete an object that others still reference.
    static func requireUnused(_ db: any SQLConnection, kind: String, id: String, references: [(table: String, column: String, what: String)]) throws {
        for reference in references {
            let count = try db.value(Int.self, sql: "SELECT COUNT(*) FROM \(reference.table) WHERE \(reference.column) = ?", arguments: [id]) ?? 0
            if count > 0 {
                throw ModelError(.inUse, field: nil, "\(kind) '\(id)' still has \(count) \(reference.what); delete them first")
            }
        }
    }

    static func newID(_ kind: ObjectKind) -> String {
        var generator = SystemRandomNumberGenerator()
        return kind.makeID(using: &generator)
    }
}
