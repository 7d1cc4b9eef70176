import DNS
import Testing

/// The wire format against messages written out byte by byte, as `dig` sends them.
@Suite struct DNSWireTests {
    /// `dig web.shop.acme.switchyard.internal A` with EDNS0 (payload 1232), id 0x1234, RD set.
    static let query: [UInt8] = [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1]
        + [3] + Array("web".utf8) + [4] + Array("shop".utf8) + [4] + Array("acme".utf8) + [10] + Array("switchyard".utf8)
        + [8] + Array("internal".utf8) + [0, 0, 1, 0, 1]
        + [0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0]

    @Test func aQueryParsesWithItsQuestionAndEDNSPayloadSize() throws {
        let message = try DNSMessage(parsing: Self.query)
        #expect(message.id == 0x1234 && message.recursionDesired && !message.isResponse)
        #expect(message.questions == [DNSQuestion(name: DNSName("web.shop.acme.switchyard.internal")!, type: .a)])
        #expect(message.ednsPayloadSize == 1232 && message.additional.isEmpty)
        #expect(message.encoded() == Self.query, "what parses encodes back to the same bytes")
    }

    @Test func namesAreCaseInsensitiveAndCompressionPointersOnlyGoBackwards() throws {
        #expect(DNSName("Web.Shop.")! == DNSName("web.shop")!)
        #expect(DNSName(labels: [String(repeating: "a", count: 64)]) == nil)
        // A response naming its question's name by a pointer to offset 12.
        var bytes: [UInt8] = [0, 1, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 1] + Array("a".utf8) + [0, 0, 1, 0, 1]
        bytes += [0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 5, 0, 4, 10, 0, 0, 5]
        let answer = try DNSMessage(parsing: bytes)
        #expect(answer.answers == [DNSRecord(name: DNSName("a")!, ttl: 5, data: .a(0x0a00_0005))])
        // A pointer to itself (a loop) or forwards is refused, as is a message cut short.
        let looping: [UInt8] = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1]
        #expect(throws: DNSWireError.badName) { try DNSMessage(parsing: looping) }
        #expect(throws: DNSWireError.truncated) { try DNSMessage(parsing: Array(Self.query.prefix(20))) }
    }

    @Test func anAnswerTooLargeForItsTransportIsTruncatedToItsQuestion() throws {
        let name = DNSName("many.acme.switchyard.internal")!
        var response = DNSMessage(id: 7, isResponse: true, questions: [DNSQuestion(name: name, type: .a)])
        response.answers = (0..<100).map { DNSRecord(name: name, ttl: 5, data: .a(0x0a00_0000 + UInt32($0))) }
        let whole = response.encoded()
        #expect(whole.count > DNSMessage.classicUDPSize)
        let cut = try DNSMessage(parsing: response.encoded(maximumSize: DNSMessage.classicUDPSize))
        #expect(cut.truncated && cut.answers.isEmpty && cut.questions == response.questions)
        #expect(try DNSMessage(parsing: whole).answers.count == 100)
    }
}
