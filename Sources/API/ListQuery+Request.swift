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
                let filter = [String(value[..<equals]): String(value[value.index(after: equals)...])]
                do {
                    labels.merge(try Validate.labels(filter, field: "label"), uniquingKeysWith: { $1 })
                } catch let error as ModelError {
                    throw ModelError(.invalidQuery, field: "label", error.message)
                }
            case "limit":
                limit = try QueryNumber.integer(value, in: 1...ListQuery.maxLimit, field: "limit",
                                                "limit must be a whole number from 1 to \(ListQuery.maxLimit)")
            case "cursor":
                cursor = value
            default:
                fields[name] = value
            }
        }
    }
}
