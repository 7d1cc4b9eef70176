import Foundation
import Northbound

extension Store {
    static let tenantList = ListRequest(table: "tenants", filterColumns: ["name": "name"], hasLabels: true)

    public func createTenant(_ request: TenantCreate, scope: Scope) async throws -> Committed<Tenant> {
        try Self.requireAdmin(scope)
        let name = try Validate.name(request.name)
        let quotas = try Quotas.defaults.applying(request.quotas)
        let labels = try Validate.labels(request.labels)
        return try await write { db, revision in
            try WriteChecks.requireUnique(db, table: "tenants", kind: "tenant", name: name)
            let tenant = Tenant(id: WriteChecks.newID(.tenant), name: name, quotas: quotas, labels: labels, revision: revision)
            try db.execute(sql: "INSERT INTO tenants (id, name, quotas, labels, revision) VALUES (?, ?, ?, ?, ?)",
                           arguments: [tenant.id, name, Self.encodeQuotas(quotas), LabelsColumn.encode(labels), revision])
            return tenant
        }
    }

    public func tenant(_ id: String, scope: Scope) async throws -> Tenant {
        try await read { db in
            try Self.decodeTenant(WriteChecks.visibleRow(db, table: "tenants", kind: "tenant", id: id, scope: scope, tenantColumn: "id", projectColumn: nil))
        }
    }

    public func tenants(_ query: ListQuery, scope: Scope) async throws -> Page<Tenant> {
        try await read { db in
            try Self.tenantList.page(db, query: query, visibility: .visible(to: scope, tenantColumn: "id", projectColumn: nil),
                                     decode: Self.decodeTenant)
        }
    }

    public func updateTenant(_ id: String, _ request: TenantUpdate, scope: Scope) async throws -> Committed<Tenant> {
        try Self.requireAdmin(scope)
        let labels = try request.labels.map { try Validate.labels($0) }
        return try await write { db, revision in
            var tenant = try Self.decodeTenant(WriteChecks.visibleRow(db, table: "tenants", kind: "tenant", id: id, scope: scope, tenantColumn: "id", projectColumn: nil))
            tenant.quotas = try tenant.quotas.applying(request.quotas)
            if let labels { tenant.labels = labels }
            tenant.revision = revision
            try db.execute(sql: "UPDATE tenants SET quotas = ?, labels = ?, revision = ? WHERE id = ?",
                           arguments: [Self.encodeQuotas(tenant.quotas), LabelsColumn.encode(tenant.labels), revision, id])
            return tenant
        }
    }

    public func deleteTenant(_ id: String, scope: Scope) async throws -> Committed<String> {
        try Self.requireAdmin(scope)
        defer { tokenCache.invalidate() }
        return try await write { db, _ in
            _ = try WriteChecks.visibleRow(db, table: "tenants", kind: "tenant", id: id, scope: scope, tenantColumn: "id", projectColumn: nil)
            try WriteChecks.requireUnused(db, kind: "tenant", id: id, references: [
                ("projects", "tenant", "projects"), ("switches", "tenant", "switches"), ("routers", "tenant", "routers"),
                ("floating_ips", "tenant", "floating IPs"), ("clusters", "tenant", "clusters"), ("policies", "tenant", "policies"),
                ("services", "tenant", "services"),
            ])
            try db.execute(sql: "DELETE FROM tokens WHERE tenant = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM tenants WHERE id = ?", arguments: [id])
            try self.backend.announce(.tokensRevoked, in: db)
            return id
        }
    }

    static func requireAdmin(_ scope: Scope) throws {
        guard scope.isAdmin else { throw ModelError(.forbidden, "this call needs an admin token") }
    }

    static func encodeQuotas(_ quotas: Quotas) throws -> String {
        String(decoding: try JSONEncoder().encode(quotas), as: UTF8.self)
    }

    static func decodeTenant(_ row: SQLRow) throws -> Tenant {
        let quotas = try JSONDecoder().decode(Quotas.self, from: Data((row["quotas"] as String).utf8))
        return Tenant(id: row["id"], name: row["name"], quotas: quotas, labels: LabelsColumn.decode(row["labels"]), revision: row["revision"])
    }
}
