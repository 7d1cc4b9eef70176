import DNS
import Synchronization

/// The zone one router's server answers from, replaced as states arrive; read by the server's
/// channels on their event loops.
final class DNSAnswerer: Sendable {
    private let zone: Mutex<DNSZone?>

    init(_ zone: DNSZone?) {
        self.zone = Mutex(zone)
    }

    func replace(_ zone: DNSZone?) {
        self.zone.withLock { $0 = zone }
    }

    /// The answer to the query in `bytes`, encoded to fit `maximumSize` (nil: the size the query's
    /// EDNS0 allows over UDP, else 512 bytes); nil for bytes that are not a query at all. A name
    /// outside the provider's zone is refused: forwarding to the tenant's resolvers is not built.
    func answer(_ bytes: [UInt8], maximumSize: Int?) -> [UInt8]? {
        let query: DNSMessage
        do {
            query = try DNSMessage(parsing: bytes)
        } catch {
            guard bytes.count >= 2 else { return nil }
            return DNSMessage(id: UInt16(bytes[0]) << 8 | UInt16(bytes[1]), isResponse: true, rcode: .formatError).encoded()
        }
        guard !query.isResponse else { return nil }
        let limit = maximumSize ?? query.ednsPayloadSize.map { max(DNSMessage.classicUDPSize, min(Int($0), Int(DNSZone.ednsPayloadSize))) }
            ?? DNSMessage.classicUDPSize
        let zone = self.zone.withLock { $0 }
        guard let zone, let question = query.questions.first, zone.answers(question.name) else {
            return DNSMessage(id: query.id, isResponse: true, recursionDesired: query.recursionDesired, rcode: .refused,
                              questions: query.questions).encoded(maximumSize: limit)
        }
        return zone.respond(to: query).encoded(maximumSize: limit)
    }
}
