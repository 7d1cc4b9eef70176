/// A domain name as lower-cased labels, without the root's empty label: `web.shop.acme.switchyard.internal`.
/// DNS compares names case-insensitively (RFC 4343), so the name keeps only the lower-case form.
public struct DNSName: Equatable, Hashable, Sendable, CustomStringConvertible {
    public private(set) var labels: [String]

    /// At most 63 bytes a label and 255 a name on the wire (RFC 1035 §2.3.4).
    public init?(labels: [String]) {
        let lowered = labels.map { $0.lowercased() }
        guard lowered.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 63 }), lowered.reduce(1, { $0 + $1.utf8.count + 1 }) <= 255 else {
            return nil
        }
        self.labels = lowered
    }

    /// Parses dotted text; a trailing dot is allowed.
    public init?(_ text: String) {
        let trimmed = text.hasSuffix(".") ? String(text.dropLast()) : text
        self.init(labels: trimmed.isEmpty ? [] : trimmed.split(separator: ".", omittingEmptySubsequences: false).map(String.init))
    }

    public static let root = DNSName(labels: [])!

    public var description: String { labels.joined(separator: ".") }

    /// Whether this name is `zone` or below it.
    public func isWithin(_ zone: DNSName) -> Bool {
        labels.count >= zone.labels.count && Array(labels.suffix(zone.labels.count)) == zone.labels
    }

    /// The labels before `zone`, which this name must be within.
    public func labels(below zone: DNSName) -> [String] {
        Array(labels.dropLast(zone.labels.count))
    }

    /// `labels` followed by this name's labels.
    public func prefixed(by labels: [String]) -> DNSName? {
        DNSName(labels: labels + self.labels)
    }
}
