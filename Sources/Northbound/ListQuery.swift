/// Filters and a page window for list calls: `?tenant=…&label=app=web&limit=50&cursor=…`.
public struct ListQuery: Sendable, Equatable {
    /// Field filters by their API name (`tenant`, `project`, `switch`, `name`, …).
    public var fields: [String: String]
    public var labels: [String: String]
    public var limit: Int
    /// Return objects whose id sorts after this one (the previous page's `next`).
    public var cursor: String?

    public static let defaultLimit = 100
    public static let maxLimit = 1_000

    public init(fields: [String: String] = [:], labels: [String: String] = [:], limit: Int = defaultLimit, cursor: String? = nil) {
        self.fields = fields
        self.labels = labels
        self.limit = limit
        self.cursor = cursor
    }
}

/// One page of a list: `{"items": [...], "next": cursor-or-null}`.
public struct Page<Item: Codable & Sendable>: Codable, Sendable {
    public var items: [Item]
    public var next: String?

    public init(items: [Item], next: String?) {
        self.items = items
        self.next = next
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(next, forKey: .next)
    }
}
