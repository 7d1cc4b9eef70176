import Hummingbird
import Northbound

extension WatchQuery {
    /// Reads `?since=123&kind=ports&kind=services` from a request.
    init(request: Request) throws {
        self.init()
        for (name, value) in request.uri.queryParameters {
            let value = String(value)
            switch name {
            case "since":
                since = Int64(try QueryNumber.integer(value, in: 0...999_999_999_999, field: "since",
                                                      "since is the revision of the last change seen (or of the list the client read)"))
            case "kind":
                guard Self.kinds.contains(value) else {
                    throw ModelError(.invalidQuery, field: "kind", "kind is one of \(Self.kinds.joined(separator: ", "))")
                }
                kinds.insert(value)
            default:
                throw ModelError(.invalidQuery, field: String(name), "a watch takes since and kind")
            }
        }
    }
}
