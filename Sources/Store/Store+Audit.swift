import Foundation
import Northbound

extension Store {
    /// The audit trail in the order it was written, as far as `scope` may see it: admins everything,
    /// tenant tokens their tenant's changes, project tokens their project's.
    public func audit(_ query: AuditQuery, scope: Scope) async throws -> Page<AuditEntry> {
        try await read { db in
            var filter = SQLFilter.auditRows(visibleTo: scope)
            if let kind = query.kind { filter.add("kind = ?", [kind]) }
            if let object = query.object { filter.add("object = ?", [object]) }
            if let operation = query.operation { filter.add("operation = ?", [operation.rawValue]) }
            if let cursor = query.cursor { filter.add("rowid > ?", [cursor]) }
            let limit = min(max(query.limit, 1), ListQuery.maxLimit)
            let rows = try db.rows(sql: "SELECT rowid, * FROM audit\(filter.whereClause) ORDER BY rowid LIMIT \(limit + 1)",
                               arguments: filter.arguments, reuse: false)
            let formatter = ISO8601DateFormatter()
            let entries = rows.prefix(limit).map { Self.decodeAuditEntry($0, formatter: formatter) }
            return Page(items: entries, next: rows.count > limit ? entries.last.map { String($0.sequence) } : nil)
        }
    }

    static func decodeAuditEntry(_ row: SQLRow, formatter: ISO8601DateFormatter) -> AuditEntry {
        let at = Date(timeIntervalSince1970: row["at"])
        let actor = (row["actor"] as String?).map { AuditEntryActor(token: $0, scope: row["actor_scope"] ?? "") }
        return AuditEntry(sequence: row["rowid"], revision: row["revision"], at: formatter.string(from: at), actor: actor,
                          tenant: row["tenant"], project: row["project"], kind: row["kind"], object: row["object"],
                          operation: AuditOperation(rawValue: row["operation"]) ?? .update)
    }
}
