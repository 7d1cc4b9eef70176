import Agent
import Kernel
import Southbound
import Testing

@Suite struct SwitchPlanTests {
    @Test func fromNothingEachSwitchGetsABridgeThenAnEnslavedVXLAN() {
        var state = Fixtures.state
        state.switches["sw-b"] = nil
        let plan = SwitchManager.plan(desired: state, observed: [Fixtures.foreign])
        #expect(plan.steps == [
            PlanStep(object: "sw-a", operation: .addLink(LinkSpec(name: "sybr-100", kind: .bridge, mtu: 1450), namespace: nil)),
            PlanStep(object: "sw-a", operation: .setLink(name: "sybr-100", LinkChange(isUp: true), namespace: nil)),
            PlanStep(object: "sw-a", operation: .addLink(LinkSpec(name: "syvx-100", kind: Fixtures.vxlanKind(100), mtu: 1450),
                                                         namespace: nil)),
            PlanStep(object: "sw-a", operation: .setLink(name: "syvx-100", LinkChange(master: "sybr-100", isUp: true),
                                                         namespace: nil)),
        ])
    }

    @Test func exactMatchPlansNothing() {
        #expect(SwitchManager.plan(desired: Fixtures.state, observed: Fixtures.realizedLinks).isEmpty)
    }

    @Test func removedVXLANIsRecreatedAndEnslaved() {
        let observed = Fixtures.replacing("syvx-200", with: nil)
        let plan = SwitchManager.plan(desired: Fixtures.state, observed: observed)
        #expect(plan.steps.map(\.object) == ["sw-b", "sw-b"])
        #expect(plan.steps.map(\.operation.description) == [
            "ip link add syvx-200 mtu 1400 type vxlan id 200 local 198.18.0.1 dstport 4789 nolearning proxy",
            "ip link set syvx-200 master sybr-200 up",
        ])
    }

    @Test func detachedVXLANIsReattachedInPlace() {
        let detached = Link(name: "syvx-100", kind: Fixtures.vxlanKind(100), mtu: 1450, isUp: true, master: nil)
        let plan = SwitchManager.plan(desired: Fixtures.state, observed: Fixtures.replacing("syvx-100", with: detached))
        #expect(plan.steps == [
            PlanStep(object: "sw-a", operation: .setLink(name: "syvx-100", LinkChange(master: "sybr-100"), namespace: nil)),
        ])
    }

    @Test func wrongMTUAndDownLinksAreCorrectedInPlace() {
        let bridge = Link(name: "sybr-100", kind: .bridge, mtu: 1500, isUp: false)
        let plan = SwitchManager.plan(desired: Fixtures.state, observed: Fixtures.replacing("sybr-100", with: bridge))
        #expect(plan.steps.map(\.operation.description) == ["ip link set sybr-100 mtu 1450 up"])
    }

    @Test func vxlanWithWrongVNILocalOrPortIsReplaced() {
        for kind in [Fixtures.vxlanKind(101), .vxlan(vni: 100, local: "198.18.0.9", port: 4789, learning: false, proxy: true),
                     .vxlan(vni: 100, local: Fixtures.underlay, port: 8472, learning: false, proxy: true), .bridge] {
            let wrong = Link(name: "syvx-100", kind: kind, mtu: 1450, isUp: true, master: "sybr-100")
            let plan = SwitchManager.plan(desired: Fixtures.state, observed: Fixtures.replacing("syvx-100", with: wrong))
            #expect(plan.steps.map(\.operation.description) == [
                "ip link del syvx-100",
                "ip link add syvx-100 mtu 1450 type vxlan id 100 local 198.18.0.1 dstport 4789 nolearning proxy",
                "ip link set syvx-100 master sybr-100 up",
            ])
        }
    }

    @Test func replacedBridgeGetsItsVXLANReattached() {
        let wrong = Link(name: "sybr-100", kind: .veth, mtu: 1450, isUp: true)
        let plan = SwitchManager.plan(desired: Fixtures.state, observed: Fixtures.replacing("sybr-100", with: wrong))
        #expect(plan.steps.map(\.operation.description) == [
            "ip link del sybr-100",
            "ip link add sybr-100 mtu 1450 type bridge",
            "ip link set sybr-100 up",
            "ip link set syvx-100 master sybr-100",
        ])
    }

    @Test func staleDevicesAreDeletedFirstAndForeignLinksAreLeftAlone() {
        let stale = [
            Link(name: "syvx-300", kind: Fixtures.vxlanKind(300), mtu: 1450, isUp: true, master: "sybr-300"),
            Link(name: "sybr-300", kind: .bridge, mtu: 1450, isUp: true),
            Link(name: "br0", kind: .bridge, mtu: 1500, isUp: true),
            Link(name: "vxlan0", kind: Fixtures.vxlanKind(300), mtu: 1450, isUp: false),
        ]
        var state = Fixtures.state
        state.switches["sw-b"] = nil
        let plan = SwitchManager.plan(desired: state, observed: Array(Fixtures.realizedLinks.prefix(3)) + stale)
        #expect(plan.steps == [
            PlanStep(object: "sybr-300", operation: .deleteLink(name: "sybr-300", namespace: nil)),
            PlanStep(object: "syvx-300", operation: .deleteLink(name: "syvx-300", namespace: nil)),
        ])
    }

    @Test func devicesAreNamedFromTheVNIWithinIFNAMSIZ() {
        #expect(DeviceName.bridge(vni: 16_777_215) == "sybr-16777215")
        #expect(DeviceName.vxlan(vni: 16_777_215).count <= 15)
        #expect(DeviceName.isSwitchDevice("syvx-1"))
        #expect(!DeviceName.isSwitchDevice("eth0"))
    }
}
