import Hummingbird
import Northbound

extension AuditQuery {
    /// Reads `?kind=ports&object=pt-…&operation=delete&limit=50&cursor=123` from a request.
    init(request: Request) throws {
        self.init()
        for (name, value) in request.uri.queryParameters {
            let value = String(value)
            switch name {
            case "kind":
                guard Self.kinds.contains(value) else {
                    throw ModelError(.invalidQuery, field: "kind", "kind is one of \(Self.kinds.joined(separator: ", "))")
                }
                kind = value
            case "object":
                object = value
            case "operation":
                guard let operation = AuditOperation(rawValue: value) else {
                    throw ModelError(.invalidQuery, field: "operation", "operation is create, update or delete")
                }
                self.operation = operation
            case "limit":
                limit = try QueryNumber.integer(value, in: 1...ListQuery.maxLimit, field: "limit",
                                                "limit must be a whole number from 1 to \(ListQuery.maxLimit)")
            case "cursor":
                cursor = Int64(try QueryNumber.integer(value, in: 0...999_999_999_999, field: "cursor",
                                                       "cursor is the sequence of the last entry seen"))
            default:
                throw ModelError(.invalidQuery, field: String(name), "the audit trail is filtered by kind, object and operation")
            }
        }
    }
}
