import Northbound
import Testing

@Suite struct AddressingTests {
    @Test(arguments: ["10.0.0.1", "0.0.0.0", "255.255.255.255", "198.18.0.11"])
    func ipv4RoundTrips(_ text: String) {
        #expect(IPv4Address(text)?.description == text)
    }

    @Test(arguments: ["10.0.0", "10.0.0.256", "10.0.0.01", "10.0.0.1 ", "a.b.c.d", "", "1.2.3.4.5", "-1.0.0.0"])
    func ipv4RejectsMalformed(_ text: String) {
        #expect(IPv4Address(text) == nil)
    }

    @Test func ipv6PrintsCanonically() {
        #expect(IPv6Address("fd00:0:0:0:0:0:0:1")?.description == "fd00::1")
        #expect(IPv6Address("2001:db8:0:0:1:0:0:1")?.description == "2001:db8::1:0:0:1")
        #expect(IPv6Address("::")?.description == "::")
        #expect(IPv6Address("1:0:2:3:4:5:6:7")?.description == "1:0:2:3:4:5:6:7")
        #expect(IPv6Address("FD00::A")?.description == "fd00::a")
        for bad in ["1:::2", "fd00::1::2", "12345::1", "1:2:3:4:5:6:7:8:9", "g::1", ":1"] {
            #expect(IPv6Address(bad) == nil, "\(bad)")
        }
    }

    @Test func networksRequireZeroHostBitsAndKnowTheirHosts() throws {
        #expect(IPv4Network("10.0.0.1/24") == nil)
        #expect(IPv4Network("10.0.0.0/33") == nil)
        let network = try #require(IPv4Network("10.0.0.0/24"))
        #expect(network.firstHost.description == "10.0.0.1")
        #expect(network.lastHost.description == "10.0.0.254")
        #expect(network.containsHost(IPv4Address("10.0.0.7")!))
        #expect(!network.containsHost(IPv4Address("10.0.0.255")!))
        #expect(!network.containsHost(IPv4Address("10.0.1.1")!))
        #expect(IPv6Network("fd00::1/64") == nil)
        #expect(IPv6Network("fd00:1::/64")?.contains(IPv6Address("fd00:1::ffff")!) == true)
    }

    @Test func overlapIsSymmetricAndExact() throws {
        let wide = try #require(IPv4Network("10.0.0.0/16"))
        let inside = try #require(IPv4Network("10.0.3.0/24"))
        let beside = try #require(IPv4Network("10.1.0.0/24"))
        #expect(wide.overlaps(inside) && inside.overlaps(wide))
        #expect(!wide.overlaps(beside) && !beside.overlaps(wide))
        #expect(IPv6Network("fd00::/48")!.overlaps(IPv6Network("fd00:0:0:1::/64")!))
        #expect(!IPv6Network("fd00::/64")!.overlaps(IPv6Network("fd00:0:0:1::/64")!))
    }

    @Test func randomMACsAreLocallyAdministeredUnicast() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<1_000 {
            let mac = MACAddress.randomLocal(using: &generator)
            #expect(mac.isLocallyAdministered && !mac.isMulticast)
            #expect(MACAddress(mac.description) == mac)
        }
        #expect(MACAddress("02:00:00:00:0a:ff")?.description == "02:00:00:00:0a:ff")
        #expect(MACAddress("02:00:00:00:0a") == nil)
    }
}
