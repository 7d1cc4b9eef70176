import Hummingbird
import Northbound

extension ListQuery {
    /// Reads `?field=value`, `?label=key=value` (repeatable), `?limit=N` and `?cursor=…` from a request.
    init(request: Request) throws {
        self.init()
        for (name, value) in request.uri.queryParameters {
            let name = String(name)
            let value = String(value)
            switch name {
            case "label":
                guard let equals = value.firstIndex(of: "="), equals != value.startIndex else {
                    throw ModelError(.invalidQuery, field: "label", "label filters look like label=key=value")
                }
                labels[String(value[..<equals])] = String(value[value.index(after: equals)...])
            case "limit":
                guard let limit = Int(value), (1...ListQuery.maxLimit).contains(limit) else {
                    throw ModelError(.invalidQuery, field: "limit", "limit must be between 1 and \(ListQuery.maxLimit)")
                }
                self.limit = limit
            case "cursor":
                cursor = value
            default:
                fields[name] = value
            }
        }
    }
}
