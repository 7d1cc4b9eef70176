import Northbound

/// Numbers read from a query string. Each is checked against its range while still text, before
/// any conversion that could trap: only ASCII digits (no sign, exponent, `nan` or `inf`) without a
/// leading zero (as the document writes numbers), a bounded number of them, then the range.
enum QueryNumber {
    /// An integer within `range`, or `invalid_query` naming `field`.
    static func integer(_ text: some StringProtocol, in range: ClosedRange<Int>, field: String, _ message: String) throws -> Int {
        let maxDigits = String(range.upperBound).count
        guard !text.isEmpty, text.count <= maxDigits, text.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }),
              text.count == 1 || text.first != "0",
              let value = Int(text), range.contains(value) else {
            throw ModelError(.invalidQuery, field: field, message)
        }
        return value
    }

    /// Whole seconds written `<n>s`, within `range`, as a duration.
    static func seconds(_ text: some StringProtocol, in range: ClosedRange<Int>, field: String, _ message: String) throws -> Duration {
        guard text.hasSuffix("s") else { throw ModelError(.invalidQuery, field: field, message) }
        return .seconds(try integer(text.dropLast(), in: range, field: field, message))
    }
}
