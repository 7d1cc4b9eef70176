@testable import Agent
import Testing

/// What the agent lets through into nft text as an address or prefix: nothing else.
@Suite struct RulesetTextTests {
    @Test(arguments: ["10.0.0.5", "0.0.0.0", "255.255.255.255", "192.168.1.10"])
    func ipv4Addresses(text: String) {
        #expect(IPv4Text.isAddress(text))
    }

    @Test(arguments: ["", "10.0.0", "10.0.0.5.1", "256.0.0.1", "10..0.1", "1000.0.0.1", "10.0.0.5 ", "１0.0.0.5", "10.0.0.+5", "a.b.c.d",
                      "10.0.0.5/32", "10.0.0.5; drop"])
    func notIPv4Addresses(text: String) {
        #expect(!IPv4Text.isAddress(text))
    }

    @Test func ipv4Prefixes() {
        #expect(IPv4Text.isPrefix("10.0.0.0/8") && IPv4Text.isPrefix("0.0.0.0/0") && IPv4Text.isPrefix("10.0.0.5/32"))
        for text in ["10.0.0.0/33", "10.0.0.0/", "10.0.0.0", "/8", "10.0.0.0/8/8", "10.0.0.0/-1", "10.0.0.0/ 8", "10.0.0/8"] {
            #expect(!IPv4Text.isPrefix(text), "\(text)")
        }
    }

    @Test func ipv6AddressesAndPrefixes() {
        #expect(IPv6Text.isAddress("fd00::11") && IPv6Text.isAddress("::") && IPv6Text.isAddress("FD00:0:0:0:0:0:0:1"))
        for text in ["fd00", "fd00::g", "fd00::1 } drop", "fd00::1%eth0", ""] { #expect(!IPv6Text.isAddress(text), "\(text)") }
        #expect(IPv6Text.isPrefix("fd00::/64") && IPv6Text.isPrefix("::/0") && IPv6Text.isPrefix("fd00::1/128"))
        for text in ["fd00::/129", "fd00::/", "fd00::", "fd00::/64/1", "fd00::/+64"] { #expect(!IPv6Text.isPrefix(text), "\(text)") }
    }
}
