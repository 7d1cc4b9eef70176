@testable import SyctlKit
import Testing

@Suite struct PaginationTests {
    @Test func followsCursorsToTheLastPage() async throws {
        let pages: [String?: (items: [Int], next: String?)] = [nil: ([1, 2], "a"), "a": ([3, 4], "b"), "b": ([5], nil)]
        var asked: [String?] = []
        let items = try await Pagination.collect { cursor in
            asked.append(cursor)
            return try #require(pages[cursor])
        }
        #expect(items == [1, 2, 3, 4, 5])
        #expect(asked == [nil, "a", "b"])
    }

    @Test func aSinglePageNeedsOneRequest() async throws {
        var requests = 0
        let items = try await Pagination.collect { _ in
            requests += 1
            return (items: ["only"], next: nil)
        }
        #expect(items == ["only"] && requests == 1)
    }

    @Test func aCursorThatDoesNotAdvanceIsAnError() async {
        await #expect(throws: SyctlError.self) {
            try await Pagination.collect { _ in (items: [1], next: "same") }
        }
    }
}
