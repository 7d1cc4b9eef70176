/// The names one tenant's workloads may resolve, and the answers to them: an authoritative zone
/// (`acme.switchyard.internal`) inside the provider's zone (`switchyard.internal`), and the
/// reverse names of its addresses. Any other name under the provider's zone — another tenant's
/// included — does not exist, exactly like a name nobody created.
public struct DNSZone: Equatable, Sendable {
    /// The provider's zone, `switchyard.internal` by default.
    public var provider: DNSName
    /// The tenant's zone, `TENANT.PROVIDER`.
    public var origin: DNSName
    public var addresses: [DNSName: [UInt32]]
    public var services: [DNSName: [DNSRecordData]]
    public var reverse: [UInt32: [DNSName]]
    /// Seconds answers may be cached; short, since an answer must follow a change within a second or so.
    public var ttl: UInt32

    public init(provider: DNSName, origin: DNSName, addresses: [DNSName: [UInt32]] = [:], services: [DNSName: [DNSRecordData]] = [:],
                ttl: UInt32 = 5) {
        self.provider = provider
        self.origin = origin
        self.addresses = addresses
        self.services = services
        self.ttl = ttl
        var reverse: [UInt32: [DNSName]] = [:]
        for (name, list) in addresses.sorted(by: { $0.key.description < $1.key.description }) {
            for address in list { reverse[address, default: []].append(name) }
        }
        self.reverse = reverse
    }

    static let reverseZone = DNSName("in-addr.arpa")!

    /// Whether this zone answers `name` itself (else it is forwarded): the provider's zone, and the
    /// reverse name of one of the tenant's addresses.
    public func answers(_ name: DNSName) -> Bool {
        name.isWithin(provider) || Self.address(ofReverse: name).map { reverse[$0] != nil } == true
    }

    /// The response to `query`'s first question, which ``answers(_:)`` said this zone answers.
    public func respond(to query: DNSMessage) -> DNSMessage {
        var response = DNSMessage(id: query.id, isResponse: true, opcode: query.opcode, authoritative: true,
                                  recursionDesired: query.recursionDesired, recursionAvailable: true, questions: query.questions,
                                  ednsPayloadSize: query.ednsPayloadSize.map { _ in DNSZone.ednsPayloadSize })
        guard query.opcode == 0 else {
            response.rcode = .notImplemented
            return response
        }
        guard let question = query.questions.first, query.questions.count == 1 else {
            response.rcode = .formatError
            return response
        }
        let (exists, records) = lookup(question.name, type: question.type)
        response.answers = records.map { DNSRecord(name: question.name, ttl: ttl, data: $0) }
        if !exists { response.rcode = .nameError }
        if records.isEmpty { response.authority = [soa] }
        return response
    }

    /// The largest UDP answer this server sends to an EDNS0 client: 1,232 bytes, the size DNS
    /// flag day 2020 settled on to stay clear of fragmentation.
    public static let ednsPayloadSize: UInt16 = 1_232

    /// Whether `name` exists here, and its records of `type`.
    func lookup(_ name: DNSName, type: DNSRecordType) -> (exists: Bool, records: [DNSRecordData]) {
        if let address = Self.address(ofReverse: name) {
            guard let names = reverse[address] else { return (false, []) }
            return (true, type == .ptr || type == .any ? names.map { .ptr($0) } : [])
        }
        guard name.isWithin(origin) else { return (name == provider || name == origin, []) }
        let a = addresses[name].map { $0.map(DNSRecordData.a) } ?? []
        let srv = services[name] ?? []
        // A name that is only a parent of others (`shop.acme…` above `web.shop.acme…`) exists too.
        let exists = !a.isEmpty || !srv.isEmpty || name == origin || hasChildren(name)
        switch type {
        case .a: return (exists, a)
        case .srv: return (exists, srv)
        case .any: return (exists, a + srv)
        default: return (exists, [])
        }
    }

    private func hasChildren(_ name: DNSName) -> Bool {
        addresses.keys.contains { $0 != name && $0.isWithin(name) } || services.keys.contains { $0 != name && $0.isWithin(name) }
    }

    /// The zone's SOA, in the authority section of a negative answer (RFC 2308): its minimum is
    /// how long a resolver may cache the absence.
    var soa: DNSRecord {
        DNSRecord(name: provider, ttl: ttl, data: .soa(primary: provider.prefixed(by: ["ns"]) ?? provider,
                                                       mailbox: provider.prefixed(by: ["hostmaster"]) ?? provider,
                                                       serial: 1, refresh: 60, retry: 10, expire: 600, minimum: ttl))
    }

    /// `5.0.0.10.in-addr.arpa` → 10.0.0.5.
    static func address(ofReverse name: DNSName) -> UInt32? {
        guard name.isWithin(reverseZone) else { return nil }
        let octets = name.labels(below: reverseZone)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets.reversed() {
            guard let byte = UInt8(octet) else { return nil }
            value = value << 8 | UInt32(byte)
        }
        return value
    }
}
