/// Answers of upstream resolvers, kept as they came (bytes) for as long as their records say they
/// may be: the smallest TTL of the answer, or for a name or type that does not exist the SOA's
/// negative TTL (RFC 2308), each capped. Failures and truncated answers are not kept. Holds at
/// most `capacity` entries: when full, the expired go first, then the oldest.
public struct DNSCache: Sendable {
    public struct Key: Hashable, Sendable {
        public var name: DNSName
        public var type: DNSRecordType
        public var recordClass: UInt16
    }

    private struct Entry: Sendable {
        var bytes: [UInt8]
        var stored: ContinuousClock.Instant
        var lifetime: UInt32
    }

    private var entries: [Key: Entry] = [:]
    public let capacity: Int
    public static let maximumLifetime: UInt32 = 300
    public static let maximumNegativeLifetime: UInt32 = 60

    public init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    public var count: Int { entries.count }

    /// The key of `query`'s question; nil for a query that is not one question.
    public static func key(of query: DNSMessage) -> Key? {
        guard query.questions.count == 1, let question = query.questions.first else { return nil }
        return Key(name: question.name, type: question.type, recordClass: question.recordClass)
    }

    /// The kept answer to `query` at `now`, with the query's id and its TTLs aged; nil when none
    /// is kept or it expired.
    public func answer(to query: DNSMessage, at now: ContinuousClock.Instant) -> [UInt8]? {
        guard let key = Self.key(of: query), let entry = entries[key] else { return nil }
        let age = now - entry.stored
        guard age < .seconds(Int(entry.lifetime)) else { return nil }
        return DNSMessage.withTTLs(loweredBy: UInt32(age.components.seconds), DNSMessage.withID(query.id, entry.bytes))
    }

    /// Keeps `response` (bytes from an upstream) to `query` when it may be cached.
    public mutating func store(_ response: [UInt8], for query: DNSMessage, at now: ContinuousClock.Instant) {
        guard let key = Self.key(of: query), let parsed = try? DNSMessage(parsing: response), let lifetime = Self.lifetime(of: parsed),
              lifetime > 0 else { return }
        if entries[key] == nil, entries.count >= capacity { evict(at: now) }
        entries[key] = Entry(bytes: response, stored: now, lifetime: lifetime)
    }

    /// How long `response` may be kept, in seconds; nil when it may not be.
    public static func lifetime(of response: DNSMessage) -> UInt32? {
        guard response.isResponse, !response.truncated else { return nil }
        switch response.rcode {
        case .noError where !response.answers.isEmpty:
            return min(response.answers.map(\.ttl).min() ?? 0, maximumLifetime)
        case .noError, .nameError:
            // Negative: the SOA's minimum, no longer than the SOA record itself lives.
            for record in response.authority {
                if case .soa(_, _, _, _, _, _, let minimum) = record.data { return min(minimum, record.ttl, maximumNegativeLifetime) }
            }
            return nil
        default:
            return nil
        }
    }

    private mutating func evict(at now: ContinuousClock.Instant) {
        entries = entries.filter { now - $0.value.stored < .seconds(Int($0.value.lifetime)) }
        guard entries.count >= capacity else { return }
        let oldest = entries.sorted { $0.value.stored < $1.value.stored }.prefix(entries.count - capacity / 2).map(\.key)
        for key in oldest { entries[key] = nil }
    }
}
