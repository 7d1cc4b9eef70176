import DNS
import Testing

/// The forwarder's cache: what it keeps, for how long, and what it hands out.
@Suite struct DNSCacheTests {
    static let name = DNSName("www.example.com")!
    static let query = DNSMessage(id: 0x4242, questions: [DNSQuestion(name: name, type: .a)])
    static let zero = ContinuousClock.now

    static func response(rcode: DNSResponseCode = .noError, answers: [DNSRecord] = [], authority: [DNSRecord] = [],
                         truncated: Bool = false) -> [UInt8] {
        DNSMessage(id: 0x9999, isResponse: true, truncated: truncated, recursionAvailable: true, rcode: rcode,
                   questions: query.questions, answers: answers, authority: authority, ednsPayloadSize: 1232).encoded()
    }

    static func soa(ttl: UInt32, minimum: UInt32) -> DNSRecord {
        DNSRecord(name: DNSName("example.com")!, ttl: ttl, data: .soa(primary: DNSName("ns.example.com")!, mailbox: DNSName("h.example.com")!,
                                                                      serial: 1, refresh: 2, retry: 3, expire: 4, minimum: minimum))
    }

    @Test func anAnswerIsKeptForItsSmallestTTLAndHandedOutWithTheAskersIDAndAgedTTLs() throws {
        var cache = DNSCache()
        let answers = [DNSRecord(name: Self.name, ttl: 30, data: .a(0x0a00_0001)), DNSRecord(name: Self.name, ttl: 20, data: .a(0x0a00_0002))]
        cache.store(Self.response(answers: answers), for: Self.query, at: Self.zero)
        var asked = Self.query
        asked.id = 7
        asked.questions = [DNSQuestion(name: DNSName("WWW.Example.COM")!, type: .a)]
        let hit = try DNSMessage(parsing: try #require(cache.answer(to: asked, at: Self.zero + .seconds(5))))
        #expect(hit.id == 7, "the asker's id")
        #expect(hit.answers.map(\.ttl) == [25, 15], "TTLs lowered by the five seconds held")
        #expect(hit.ednsPayloadSize == 1232, "OPT's TTL field (flags) is left alone")
        #expect(cache.answer(to: asked, at: Self.zero + .seconds(20)) == nil, "gone after the smallest TTL")
        var aaaa = Self.query
        aaaa.questions = [DNSQuestion(name: Self.name, type: .aaaa)]
        #expect(cache.answer(to: aaaa, at: Self.zero) == nil, "another type is another entry")
    }

    @Test func negativeAnswersLiveForTheSOAMinimumAndFailuresNotAtAll() {
        #expect(DNSCache.lifetime(of: try! DNSMessage(parsing: Self.response(rcode: .nameError, authority: [Self.soa(ttl: 100, minimum: 30)]))) == 30)
        #expect(DNSCache.lifetime(of: try! DNSMessage(parsing: Self.response(authority: [Self.soa(ttl: 10, minimum: 30)]))) == 10,
                "NODATA, no longer than the SOA itself lives")
        #expect(DNSCache.lifetime(of: try! DNSMessage(parsing: Self.response(rcode: .nameError, authority: [Self.soa(ttl: 9000, minimum: 9000)])))
                == DNSCache.maximumNegativeLifetime)
        #expect(DNSCache.lifetime(of: try! DNSMessage(parsing: Self.response(rcode: .nameError))) == nil, "no SOA: not kept")
        #expect(DNSCache.lifetime(of: try! DNSMessage(parsing: Self.response(rcode: .serverFailure))) == nil)
        #expect(DNSCache.lifetime(of: try! DNSMessage(parsing: Self.response(rcode: .refused))) == nil)
        let answer = [DNSRecord(name: Self.name, ttl: 86400, data: .a(1))]
        #expect(DNSCache.lifetime(of: try! DNSMessage(parsing: Self.response(answers: answer))) == DNSCache.maximumLifetime)
        #expect(DNSCache.lifetime(of: try! DNSMessage(parsing: Self.response(answers: answer, truncated: true))) == nil)
    }

    @Test func aFullCacheDropsTheExpiredThenTheOldest() {
        var cache = DNSCache(capacity: 4)
        func query(_ index: Int) -> DNSMessage {
            DNSMessage(id: 1, questions: [DNSQuestion(name: DNSName("n\(index).example.com")!, type: .a)])
        }
        func response(_ index: Int, ttl: UInt32) -> [UInt8] {
            let question = query(index).questions
            return DNSMessage(id: 1, isResponse: true, questions: question,
                              answers: [DNSRecord(name: question[0].name, ttl: ttl, data: .a(UInt32(index)))]).encoded()
        }
        cache.store(response(0, ttl: 1), for: query(0), at: Self.zero)
        for index in 1..<4 { cache.store(response(index, ttl: 100), for: query(index), at: Self.zero + .seconds(index)) }
        cache.store(response(4, ttl: 100), for: query(4), at: Self.zero + .seconds(10))
        #expect(cache.count == 4, "the expired one made room")
        #expect(cache.answer(to: query(1), at: Self.zero + .seconds(10)) != nil)
        cache.store(response(5, ttl: 100), for: query(5), at: Self.zero + .seconds(11))
        #expect(cache.count <= 4)
        #expect(cache.answer(to: query(1), at: Self.zero + .seconds(11)) == nil, "the oldest went")
        #expect(cache.answer(to: query(5), at: Self.zero + .seconds(11)) != nil)
    }
}
