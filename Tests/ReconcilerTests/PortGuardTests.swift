@testable import Agent
import Kernel
import Southbound
import Testing

/// The anti-spoofing table pins each local port's device to its MAC and addresses; a port whose
/// values cannot be written into a ruleset is refused rather than left unguarded.
@Suite struct PortGuardTests {
    static func state(_ ports: [String: PortState]) -> HostState {
        HostState(host: HostInfo(id: "hv-1", name: "hv1", underlay: "198.18.0.1", role: "compute"), ports: ports)
    }

    static let web = PortState(switch: "sw-a", name: "web", mac: "02:AA:00:00:00:01", ip: "10.0.0.10/24", ip6: "fd00::10/64",
                               gateway: "10.0.0.1", mtu: 1450)

    @Test func eachPortIsPinnedToItsMACAndAddresses() throws {
        let plan = PortGuardManager.plan(desired: Self.state(["pt-00000000000000aa": Self.web]), observed: [])
        guard case .replaceNftablesTable(let table, let ruleset, nil) = plan.steps.first?.operation else {
            Issue.record("expected a table replace, got \(plan)")
            return
        }
        #expect(table.family == .bridge && table.name == "sy-portguard")
        #expect(ruleset.contains(#"set ports { type ifname; elements = { "sypt-00000000aa" }; }"#))
        #expect(ruleset.contains(#""sypt-00000000aa" . 02:aa:00:00:00:01 . 10.0.0.10"#))
        #expect(ruleset.contains(#""sypt-00000000aa" . 02:aa:00:00:00:01 . fd00::10"#))
        #expect(ruleset.contains("iifname . ether saddr != @macs drop") && ruleset.hasSuffix("  drop\n}"))
        #expect(PortGuardManager.plan(desired: Self.state(["pt-00000000000000aa": Self.web]), observed: [table]).isEmpty,
                "a table in place with the same rules needs no write")
    }

    @Test func aHostWithoutPortsHasNoTableAndAStaleOneGoes() {
        let stale = NftablesTable(family: .bridge, name: "sy-portguard", comment: "old")
        let plan = PortGuardManager.plan(desired: Self.state([:]), observed: [stale])
        #expect(plan.steps.map(\.operation) == [.deleteNftablesTable(stale, namespace: nil)])
    }

    @Test func aPortWhoseAddressCannotBePinnedIsRefused() {
        var odd = Self.web
        odd.ip = "10.0.0.10\"; flush ruleset; \"/24"
        let plan = PortGuardManager.plan(desired: Self.state(["pt-00000000000000aa": Self.web, "pt-00000000000000bb": odd]), observed: [])
        #expect(plan.refusals.map(\.object) == ["pt-00000000000000bb"] && plan.refusals.allSatisfy(\.skipsSteps))
        guard case .replaceNftablesTable(_, let ruleset, _) = plan.steps.first?.operation else {
            Issue.record("the other port keeps its guard: \(plan)")
            return
        }
        #expect(!ruleset.contains("flush") && !ruleset.contains("sypt-00000000bb"))
    }

    @Test func aNextHopMaySendFromTheDestinationsRoutedThroughIt() throws {
        var router = Self.web
        router.routedSources = ["192.168.50.0/24", "fd00:50::/64"]
        let plan = PortGuardManager.plan(desired: Self.state(["pt-00000000000000aa": router]), observed: [])
        guard case .replaceNftablesTable(_, let ruleset, _) = plan.steps.first?.operation else {
            Issue.record("expected a table replace, got \(plan)")
            return
        }
        #expect(ruleset.contains(#"set routed { type ifname . ether_addr . ipv4_addr; flags interval; elements = { "sypt-00000000aa" . 02:aa:00:00:00:01 . 192.168.50.0/24 }; }"#))
        #expect(ruleset.contains(#"elements = { "sypt-00000000aa" . 02:aa:00:00:00:01 . fd00:50::/64 }"#))
        #expect(ruleset.contains("ip saddr @routed accept") && ruleset.contains("ip6 saddr @routed6 accept"))
    }
}
