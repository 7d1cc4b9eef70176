/// The wire format (RFC 1035 §4.1): parsing what a client sends, encoding what the server answers.
extension DNSMessage {
    /// The largest UDP answer without EDNS0 (RFC 1035 §4.2.1).
    public static let classicUDPSize = 512

    public init(parsing bytes: [UInt8]) throws(DNSWireError) {
        var reader = DNSReader(bytes: bytes)
        id = try reader.u16()
        let flags = try reader.u16()
        isResponse = flags & 0x8000 != 0
        opcode = UInt8((flags >> 11) & 0xf)
        authoritative = flags & 0x0400 != 0
        truncated = flags & 0x0200 != 0
        recursionDesired = flags & 0x0100 != 0
        recursionAvailable = flags & 0x0080 != 0
        rcode = DNSResponseCode(rawValue: UInt8(flags & 0xf)) ?? .serverFailure
        // Counts larger than the message holds end in `truncated`: every entry takes bytes.
        let counts = (try reader.u16(), try reader.u16(), try reader.u16(), try reader.u16())
        questions = []
        for _ in 0..<counts.0 {
            questions.append(DNSQuestion(name: try reader.name(), type: DNSRecordType(rawValue: try reader.u16()), recordClass: try reader.u16()))
        }
        answers = []
        for _ in 0..<counts.1 { answers.append(try reader.record()) }
        authority = []
        for _ in 0..<counts.2 { authority.append(try reader.record()) }
        additional = []
        ednsPayloadSize = nil
        for _ in 0..<counts.3 {
            let record = try reader.record()
            if record.type == .opt {
                ednsPayloadSize = record.recordClass
            } else {
                additional.append(record)
            }
        }
    }

    /// The message on the wire; when it exceeds `maximumSize`, the records are left out and the
    /// truncation bit set, so the client asks again over TCP (RFC 2181 §9).
    public func encoded(maximumSize: Int = 65_535) -> [UInt8] {
        let whole = encoded(truncating: false)
        return whole.count <= maximumSize ? whole : encoded(truncating: true)
    }

    private func encoded(truncating: Bool) -> [UInt8] {
        var writer = DNSWriter()
        writer.u16(id)
        var flags: UInt16 = (isResponse ? 0x8000 : 0) | UInt16(opcode & 0xf) << 11 | UInt16(rcode.rawValue)
        if authoritative { flags |= 0x0400 }
        if truncated || truncating { flags |= 0x0200 }
        if recursionDesired { flags |= 0x0100 }
        if recursionAvailable { flags |= 0x0080 }
        writer.u16(flags)
        let sections = truncating ? ([], [], []) : (answers, authority, additional)
        writer.u16(UInt16(questions.count))
        writer.u16(UInt16(sections.0.count))
        writer.u16(UInt16(sections.1.count))
        writer.u16(UInt16(sections.2.count + (ednsPayloadSize == nil ? 0 : 1)))
        for question in questions {
            writer.name(question.name)
            writer.u16(question.type.rawValue)
            writer.u16(question.recordClass)
        }
        for record in sections.0 + sections.1 + sections.2 { writer.record(record) }
        if let ednsPayloadSize {
            // OPT: root name, type 41, the payload size as its class, no extended flags or options.
            writer.name(.root)
            writer.u16(DNSRecordType.opt.rawValue)
            writer.u16(ednsPayloadSize)
            writer.u32(0)
            writer.u16(0)
        }
        return writer.bytes
    }
}

extension DNSMessage {
    /// `bytes`, a whole message, with its id replaced.
    public static func withID(_ id: UInt16, _ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= 2 else { return bytes }
        var result = bytes
        result[0] = UInt8(id >> 8)
        result[1] = UInt8(id & 0xff)
        return result
    }

    /// `bytes`, a whole message, with the TTL of every record (but EDNS0's OPT, whose TTL field
    /// holds flags) lowered by `age` seconds, to no less than zero: what a cache hands out after
    /// holding an answer for `age` seconds. Nil when `bytes` is not a well-formed message.
    public static func withTTLs(loweredBy age: UInt32, _ bytes: [UInt8]) -> [UInt8]? {
        var reader = DNSReader(bytes: bytes)
        var result = bytes
        do {
            reader.offset = 4
            let questions = try reader.u16()
            let records = Int(try reader.u16()) + Int(try reader.u16()) + Int(try reader.u16())
            for _ in 0..<questions {
                _ = try reader.name()
                _ = try reader.take(4)
            }
            for _ in 0..<records {
                _ = try reader.name()
                let type = DNSRecordType(rawValue: try reader.u16())
                _ = try reader.u16()
                let at = reader.offset
                let ttl = try reader.u32()
                if type != .opt {
                    let lowered = ttl > age ? ttl - age : 0
                    result.replaceSubrange(at..<at + 4, with: [UInt8(lowered >> 24), UInt8(lowered >> 16 & 0xff), UInt8(lowered >> 8 & 0xff),
                                                               UInt8(lowered & 0xff)])
                }
                _ = try reader.take(Int(try reader.u16()))
            }
        } catch {
            return nil
        }
        return result
    }
}

public enum DNSWireError: Error, Equatable, Sendable {
    case truncated
    case badName
}

struct DNSReader {
    let bytes: [UInt8]
    var offset = 0

    mutating func u8() throws(DNSWireError) -> UInt8 {
        guard offset < bytes.count else { throw .truncated }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u16() throws(DNSWireError) -> UInt16 { UInt16(try u8()) << 8 | UInt16(try u8()) }

    mutating func u32() throws(DNSWireError) -> UInt32 { UInt32(try u16()) << 16 | UInt32(try u16()) }

    mutating func take(_ count: Int) throws(DNSWireError) -> [UInt8] {
        guard count >= 0, offset + count <= bytes.count else { throw .truncated }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// A name, following compression pointers (RFC 1035 §4.1.4) only backwards, so a loop cannot form.
    mutating func name() throws(DNSWireError) -> DNSName {
        var labels: [String] = []
        var position = offset
        var resumeAt: Int?
        var limit = position
        while true {
            guard position < bytes.count else { throw .truncated }
            let length = Int(bytes[position])
            if length & 0xc0 == 0xc0 {
                guard position + 1 < bytes.count else { throw .truncated }
                let target = (length & 0x3f) << 8 | Int(bytes[position + 1])
                guard target < limit else { throw .badName }
                if resumeAt == nil { resumeAt = position + 2 }
                position = target
                limit = target
                continue
            }
            guard length & 0xc0 == 0 else { throw .badName }
            if length == 0 {
                offset = resumeAt ?? position + 1
                guard let name = DNSName(labels: labels) else { throw .badName }
                return name
            }
            guard position + 1 + length <= bytes.count else { throw .truncated }
            labels.append(String(decoding: bytes[(position + 1)..<(position + 1 + length)], as: UTF8.self))
            position += 1 + length
        }
    }

    mutating func record() throws(DNSWireError) -> DNSRecord {
        let name = try name()
        let type = DNSRecordType(rawValue: try u16())
        let recordClass = try u16()
        let ttl = try u32()
        let length = Int(try u16())
        let end = offset + length
        let data: DNSRecordData
        switch type {
        case .a where length == 4:
            data = .a(try u32())
        case .ptr:
            data = .ptr(try self.name())
        case .srv:
            data = .srv(priority: try u16(), weight: try u16(), port: try u16(), target: try self.name())
        case .soa:
            data = .soa(primary: try self.name(), mailbox: try self.name(), serial: try u32(), refresh: try u32(), retry: try u32(),
                        expire: try u32(), minimum: try u32())
        default:
            data = .other(type, try take(length))
        }
        guard offset == end else { throw .badName }
        return DNSRecord(name: name, ttl: ttl, data: data, recordClass: recordClass)
    }
}

struct DNSWriter {
    var bytes: [UInt8] = []

    mutating func u16(_ value: UInt16) { bytes += [UInt8(value >> 8), UInt8(value & 0xff)] }

    mutating func u32(_ value: UInt32) {
        u16(UInt16(value >> 16))
        u16(UInt16(value & 0xffff))
    }

    /// Names go out whole, without compression: answers here are small.
    mutating func name(_ name: DNSName) {
        for label in name.labels {
            bytes.append(UInt8(label.utf8.count))
            bytes += Array(label.utf8)
        }
        bytes.append(0)
    }

    mutating func record(_ record: DNSRecord) {
        name(record.name)
        u16(record.type.rawValue)
        u16(record.recordClass)
        u32(record.ttl)
        var data = DNSWriter()
        switch record.data {
        case .a(let address): data.u32(address)
        case .ptr(let target): data.name(target)
        case .srv(let priority, let weight, let port, let target):
            data.u16(priority)
            data.u16(weight)
            data.u16(port)
            data.name(target)
        case .soa(let primary, let mailbox, let serial, let refresh, let retry, let expire, let minimum):
            data.name(primary)
            data.name(mailbox)
            for value in [serial, refresh, retry, expire, minimum] { data.u32(value) }
        case .other(_, let raw): data.bytes = raw
        }
        u16(UInt16(data.bytes.count))
        bytes += data.bytes
    }
}
