/// Follows a list's `next` cursors until the last page.
enum Pagination {
    /// Every item of every page; `fetch` receives the cursor of the page to read (nil for the first).
    static func collect<Item>(_ fetch: (_ cursor: String?) async throws -> (items: [Item], next: String?)) async throws -> [Item] {
        var items: [Item] = []
        var cursor: String?
        repeat {
            let page = try await fetch(cursor)
            items += page.items
            // A cursor that does not advance would loop forever; the API's cursors always move forward.
            guard page.next == nil || page.next != cursor else {
                throw SyctlError.unexpectedResponse(status: 200, detail: "the list cursor '\(cursor ?? "")' did not advance")
            }
            cursor = page.next
        } while cursor != nil
        return items
    }
}
