import DNS
import NIOCore
import Synchronization

/// What the server does with one message.
enum DNSAnswer: Sendable {
    /// Sends these bytes back.
    case reply([UInt8])
    /// Asks the tenant's resolvers (``DNSForwarder``), then sends their answer back within `limit` bytes.
    case forward(bytes: [UInt8], query: DNSMessage, upstreams: [SocketAddress], limit: Int)
}

/// The zone one router's server answers from and the resolvers it forwards other names to,
/// replaced as states arrive; read by the server's channels on their event loops.
final class DNSAnswerer: Sendable {
    private let current: Mutex<(zone: DNSZone?, upstreams: [SocketAddress])>
    let forwarder: DNSForwarder

    init(_ zone: DNSZone?, upstreams: [SocketAddress], forwarder: DNSForwarder) {
        self.current = Mutex((zone, upstreams))
        self.forwarder = forwarder
    }

    func replace(_ zone: DNSZone?, upstreams: [SocketAddress]) {
        current.withLock { $0 = (zone, upstreams) }
    }

    /// What to do with the message in `bytes`, an answer encoded to fit `maximumSize` (nil: the
    /// size the query's EDNS0 allows over UDP, else 512 bytes); nil for bytes that are not a query
    /// at all. A name outside the zone goes to the tenant's resolvers (from the cache when it
    /// can); without resolvers it is refused.
    func answer(_ bytes: [UInt8], maximumSize: Int?) -> DNSAnswer? {
        let query: DNSMessage
        do {
            query = try DNSMessage(parsing: bytes)
        } catch {
            guard bytes.count >= 2 else { return nil }
            return .reply(DNSMessage(id: UInt16(bytes[0]) << 8 | UInt16(bytes[1]), isResponse: true, rcode: .formatError).encoded())
        }
        guard !query.isResponse else { return nil }
        let limit = maximumSize ?? query.ednsPayloadSize.map { max(DNSMessage.classicUDPSize, min(Int($0), Int(DNSZone.ednsPayloadSize))) }
            ?? DNSMessage.classicUDPSize
        let (zone, upstreams) = current.withLock { $0 }
        guard let zone, let question = query.questions.first else {
            return .reply(Self.refusal(query, limit: limit))
        }
        if zone.answers(question.name) { return .reply(zone.respond(to: query).encoded(maximumSize: limit)) }
        guard !upstreams.isEmpty, query.opcode == 0, query.questions.count == 1 else { return .reply(Self.refusal(query, limit: limit)) }
        if let cached = forwarder.cached(query) { return .reply(Self.fitted(cached, query: query, limit: limit)) }
        return .forward(bytes: bytes, query: query, upstreams: upstreams, limit: limit)
    }

    /// The forwarded answer for `query`, `reply` itself when it fits `limit`, else its question
    /// with TC set so the client asks again over TCP.
    static func fitted(_ reply: [UInt8], query: DNSMessage, limit: Int) -> [UInt8] {
        guard reply.count > limit else { return reply }
        return DNSMessage(id: query.id, isResponse: true, truncated: true, recursionDesired: query.recursionDesired, recursionAvailable: true,
                          questions: query.questions).encoded(maximumSize: limit)
    }

    static func refusal(_ query: DNSMessage, limit: Int) -> [UInt8] {
        DNSMessage(id: query.id, isResponse: true, recursionDesired: query.recursionDesired, rcode: .refused, questions: query.questions)
            .encoded(maximumSize: limit)
    }
}
