/// A DNS message (RFC 1035 §4), as much of it as a stub resolver's queries and our answers use.
public struct DNSMessage: Equatable, Sendable {
    public var id: UInt16
    public var isResponse: Bool
    public var opcode: UInt8
    public var authoritative: Bool
    public var truncated: Bool
    public var recursionDesired: Bool
    public var recursionAvailable: Bool
    public var rcode: DNSResponseCode
    public var questions: [DNSQuestion]
    public var answers: [DNSRecord]
    public var authority: [DNSRecord]
    /// Additional records other than EDNS0's OPT, which is `edns`.
    public var additional: [DNSRecord]
    /// The EDNS0 OPT record's UDP payload size, when the message has one (RFC 6891).
    public var ednsPayloadSize: UInt16?

    public init(id: UInt16, isResponse: Bool = false, opcode: UInt8 = 0, authoritative: Bool = false, truncated: Bool = false,
                recursionDesired: Bool = true, recursionAvailable: Bool = false, rcode: DNSResponseCode = .noError,
                questions: [DNSQuestion] = [], answers: [DNSRecord] = [], authority: [DNSRecord] = [], additional: [DNSRecord] = [],
                ednsPayloadSize: UInt16? = nil) {
        self.id = id
        self.isResponse = isResponse
        self.opcode = opcode
        self.authoritative = authoritative
        self.truncated = truncated
        self.recursionDesired = recursionDesired
        self.recursionAvailable = recursionAvailable
        self.rcode = rcode
        self.questions = questions
        self.answers = answers
        self.authority = authority
        self.additional = additional
        self.ednsPayloadSize = ednsPayloadSize
    }
}

public struct DNSQuestion: Equatable, Hashable, Sendable {
    public var name: DNSName
    public var type: DNSRecordType
    public var recordClass: UInt16

    public init(name: DNSName, type: DNSRecordType, recordClass: UInt16 = 1) {
        self.name = name
        self.type = type
        self.recordClass = recordClass
    }
}

public struct DNSRecord: Equatable, Hashable, Sendable {
    public var name: DNSName
    public var type: DNSRecordType
    public var recordClass: UInt16
    public var ttl: UInt32
    public var data: DNSRecordData

    public init(name: DNSName, ttl: UInt32, data: DNSRecordData, recordClass: UInt16 = 1) {
        self.name = name
        self.type = data.type
        self.recordClass = recordClass
        self.ttl = ttl
        self.data = data
    }
}

public enum DNSRecordData: Equatable, Hashable, Sendable {
    /// An IPv4 address, four bytes in network order.
    case a(UInt32)
    case srv(priority: UInt16, weight: UInt16, port: UInt16, target: DNSName)
    case ptr(DNSName)
    case soa(primary: DNSName, mailbox: DNSName, serial: UInt32, refresh: UInt32, retry: UInt32, expire: UInt32, minimum: UInt32)
    /// Any other type, its data as it came.
    case other(DNSRecordType, [UInt8])

    public var type: DNSRecordType {
        switch self {
        case .a: .a
        case .srv: .srv
        case .ptr: .ptr
        case .soa: .soa
        case .other(let type, _): type
        }
    }
}

/// A record type by its number; the named ones are those this server answers or recognizes.
public struct DNSRecordType: RawRepresentable, Equatable, Hashable, Sendable {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let a = DNSRecordType(rawValue: 1)
    public static let soa = DNSRecordType(rawValue: 6)
    public static let ptr = DNSRecordType(rawValue: 12)
    public static let aaaa = DNSRecordType(rawValue: 28)
    public static let srv = DNSRecordType(rawValue: 33)
    public static let opt = DNSRecordType(rawValue: 41)
    public static let any = DNSRecordType(rawValue: 255)
}

public enum DNSResponseCode: UInt8, Sendable {
    case noError = 0, formatError = 1, serverFailure = 2, nameError = 3, notImplemented = 4, refused = 5
}
