import Northbound

/// A conjunction of SQL conditions with their bound arguments; values are always bound, never spliced.
struct SQLFilter {
    private(set) var clauses: [String] = []
    private(set) var arguments = SQLArguments()

    mutating func add(_ clause: String, _ values: [(any SQLBindable)?] = []) {
        clauses.append(clause)
        arguments += SQLArguments(values)
    }

    var whereClause: String { clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ") }

    /// The audit rows a scope may see: admins all, tenant tokens their tenant's, project tokens their project's.
    static func auditRows(visibleTo scope: Scope) -> SQLFilter {
        var filter = SQLFilter()
        if let project = scope.project {
            filter.add("project = ?", [project])
        } else if let tenant = scope.tenant {
            filter.add("tenant = ?", [tenant])
        }
        return filter
    }

    /// The rows of a tenant-owned table that a scope may see.
    static func visible(to scope: Scope, tenantColumn: String = "tenant", projectColumn: String? = "project") -> SQLFilter {
        var filter = SQLFilter()
        if let tenant = scope.tenant { filter.add("\(tenantColumn) = ?", [tenant]) }
        if let project = scope.project, let projectColumn { filter.add("\(projectColumn) = ?", [project]) }
        return filter
    }
}

/// The list machinery shared by every resource: scope, field and label filters, id-ordered pages.
struct ListRequest {
    let table: String
    /// API filter name → column name. Filters outside this map are refused.
    let filterColumns: [String: String]
    let hasLabels: Bool

    func page<Item: Codable & Sendable>(_ db: any SQLConnection, query: ListQuery, visibility: SQLFilter,
                                         decode: (SQLRow) throws -> Item) throws -> Page<Item> {
        var filter = visibility
        for (field, value) in query.fields.sorted(by: { $0.key < $1.key }) {
            guard let column = filterColumns[field] else {
                throw ModelError(.invalidQuery, field: field, "cannot filter \(table) by '\(field)'; filters: \(filterColumns.keys.sorted().joined(separator: ", "))")
            }
            // No stored text holds NUL (PostgreSQL cannot even take it as an argument): nothing matches.
            filter.add(value.contains("\0") ? "1 = 0" : "\(column) = ?", value.contains("\0") ? [] : [value])
        }
        if !query.labels.isEmpty {
            guard hasLabels else { throw ModelError(.invalidQuery, field: "label", "\(table) have no labels") }
            for (key, value) in query.labels.sorted(by: { $0.key < $1.key }) {
                filter.add("\(db.dialect.jsonText("labels")) = ?", [LabelsColumn.path(key), value])
            }
        }
        if let cursor = query.cursor { filter.add("id > ?", [cursor]) }
        let limit = min(max(query.limit, 1), ListQuery.maxLimit)
        let sql = "SELECT * FROM \(table)\(filter.whereClause) ORDER BY id LIMIT \(limit + 1)"
        let rows = try db.rows(sql: sql, arguments: filter.arguments, reuse: false)
        let items = try rows.prefix(limit).map(decode)
        let next: String? = rows.count > limit ? rows[limit - 1]["id"] : nil
        return Page(items: items, next: next)
    }
}
