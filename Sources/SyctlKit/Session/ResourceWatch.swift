import Foundation

/// `syctl get KIND --watch`: every change of a kind as it commits (`GET /v1/watch`), one line each,
/// following the stream across dropped connections and controller restarts by reconnecting with
/// the revision of the last line read.
public struct ResourceWatch: Sendable {
    let client: APIClient
    let format: OutputFormat

    public init(configuration: ClientConfiguration, format: OutputFormat) {
        client = APIClient(configuration: configuration)
        self.format = format
    }

    /// The NAME column of an event: the object's name, or for a health event how many of the
    /// service's endpoints are healthy.
    static func summary(_ event: [String: Any]) -> String {
        let object = event["object"] as? [String: Any]
        guard event["type"] as? String == "health" else { return object?["name"] as? String ?? "-" }
        let items = object?["items"] as? [[String: Any]] ?? []
        let healthy = items.filter { ($0["health"] as? [String: Any])?["healthy"] as? Bool != false }.count
        return "\(healthy)/\(items.count) endpoints healthy"
    }

    /// Prints (`out`) each change of `kind` after `since` (the current revision when nil) until
    /// cancelled: in JSON the API's lines, bookmarks included; in a table `REVISION TYPE ID NAME`.
    /// Reconnections are told on `note`. A refused watch (`history_pruned`, a revision not
    /// reached yet) ends it with the API's error.
    public func run(_ kind: ResourceKind, since start: Int64?, out: (String) -> Void, note: (String) -> Void) async throws {
        struct Revision: Decodable { let revision: Int64 }
        var since = start ?? 0
        if start == nil { since = (try await client.get("/v1/revision") as Revision).revision }
        if format == .table { out(["REVISION", "TYPE", "ID", "NAME"].joined(separator: "\t")) }
        while !Task.isCancelled {
            do {
                let lines = try client.stream("/v1/watch", query: [URLQueryItem(name: "since", value: String(since)),
                                                                   URLQueryItem(name: "kind", value: kind.plural)])
                for try await line in lines {
                    guard let event = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                          let revision = (event["revision"] as? NSNumber)?.int64Value else { continue }
                    since = revision
                    if format == .json {
                        out(line)
                    } else if let type = event["type"] as? String, type != "bookmark" {
                        out([String(revision), type, event["id"] as? String ?? "-", Self.summary(event)].joined(separator: "\t"))
                    }
                }
                note("the watch connection closed; reconnecting from revision \(since)")
            } catch let error as APIError {
                throw error
            } catch {
                note("the watch connection failed (\(APIClient.reason(error))); reconnecting from revision \(since)")
            }
            try await Task.sleep(for: .seconds(1))
        }
    }
}
