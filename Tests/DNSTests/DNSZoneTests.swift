import DNS
import Testing

/// The answers of one tenant's zone: its names, SRV and PTR records, and NXDOMAIN for everything
/// else under the provider's zone, another tenant's names included.
@Suite struct DNSZoneTests {
    static let zone = DNSZone(
        provider: DNSName("switchyard.internal")!, origin: DNSName("acme.switchyard.internal")!,
        addresses: [DNSName("web.shop.acme.switchyard.internal")!: [0x0a60_0001],
                    DNSName("web-1.frontend.acme.switchyard.internal")!: [0x0a00_0005]],
        services: [DNSName("_http._tcp.web.shop.acme.switchyard.internal")!:
                    [.srv(priority: 0, weight: 100, port: 80, target: DNSName("web.shop.acme.switchyard.internal")!)]])

    static func ask(_ name: String, _ type: DNSRecordType) -> DNSMessage {
        zone.respond(to: DNSMessage(id: 9, questions: [DNSQuestion(name: DNSName(name)!, type: type)]))
    }

    @Test func servicesPortsAndSRVRecordsResolve() {
        let service = Self.ask("WEB.shop.acme.switchyard.internal", .a)
        #expect(service.rcode == .noError && service.authoritative && service.isResponse && service.id == 9)
        #expect(service.answers.map(\.data) == [.a(0x0a60_0001)])
        #expect(Self.ask("web-1.frontend.acme.switchyard.internal", .a).answers.map(\.data) == [.a(0x0a00_0005)])
        #expect(Self.ask("_http._tcp.web.shop.acme.switchyard.internal", .srv).answers.count == 1)
        // A name with no record of the type asked is NOERROR with no answer (NODATA), with the SOA.
        let aaaa = Self.ask("web.shop.acme.switchyard.internal", .aaaa)
        #expect(aaaa.rcode == .noError && aaaa.answers.isEmpty && aaaa.authority.first?.type == .soa)
        // A parent of names exists (an empty non-terminal).
        #expect(Self.ask("shop.acme.switchyard.internal", .a).rcode == .noError)
    }

    @Test func anotherTenantsNamesAndUnknownNamesDoNotExistAndReverseNamesFindTheirOwner() {
        #expect(Self.ask("web.shop.globex.switchyard.internal", .a).rcode == .nameError)
        #expect(Self.ask("nothing.acme.switchyard.internal", .a).rcode == .nameError)
        #expect(Self.zone.answers(DNSName("web.shop.globex.switchyard.internal")!), "answered here, as nonexistent")
        #expect(!Self.zone.answers(DNSName("example.com")!), "forwarded")
        let reverse = Self.ask("5.0.0.10.in-addr.arpa", .ptr)
        #expect(reverse.answers.map(\.data) == [.ptr(DNSName("web-1.frontend.acme.switchyard.internal")!)])
        #expect(!Self.zone.answers(DNSName("9.9.9.10.in-addr.arpa")!), "an address not the tenant's is not answered here")
    }
}
