import Agent
import Kernel
import Southbound
import Testing

@Suite struct FDBPlanTests {
    let present = ["syvx-100": Fixtures.realizedFDB, "syvx-200": []]

    @Test func emptyDeviceGetsOneEntryPerRemotePortAndOneFloodEntryPerVTEP() {
        let plan = FDBManager.plan(desired: Fixtures.state, observed: ["syvx-100": [], "syvx-200": []])
        #expect(plan.steps == Fixtures.realizedFDB.map { PlanStep(object: "sw-a", operation: .addFDBEntry($0)) })
    }

    @Test func exactMatchPlansNothing() {
        #expect(FDBManager.plan(desired: Fixtures.state, observed: present).isEmpty)
    }

    @Test func aMissingEntryIsAddedAlone() {
        let observed = ["syvx-100": Array(Fixtures.realizedFDB.dropLast()), "syvx-200": []]
        #expect(FDBManager.plan(desired: Fixtures.state, observed: observed).steps == [
            PlanStep(object: "sw-a", operation: .addFDBEntry(Fixtures.realizedFDB[3])),
        ])
    }

    @Test func extraEntriesAreRemovedBeforeAdditions() {
        var state = Fixtures.state
        state.switches["sw-a"]?.remotePorts[0].vtep = "198.18.0.3"
        let stranger = FDBEntry(mac: "02:00:00:00:00:ff", device: "syvx-200", vtep: "198.18.0.7")
        let plan = FDBManager.plan(desired: state, observed: ["syvx-100": Fixtures.realizedFDB, "syvx-200": [stranger]])
        #expect(plan.steps == [
            PlanStep(object: "sw-a", operation: .deleteFDBEntry(Fixtures.realizedFDB[2])),
            PlanStep(object: "sw-a", operation: .addFDBEntry(
                FDBEntry(mac: "02:00:00:00:00:0a", device: "syvx-100", vtep: "198.18.0.3"))),
            PlanStep(object: "sw-b", operation: .deleteFDBEntry(stranger)),
        ])
    }

    @Test func theBridgesOwnEntriesWithoutAVTEPAreLeftAlone() {
        let learned = FDBEntry(mac: "02:00:00:00:00:77", device: "syvx-100", vtep: "")
        let observed = ["syvx-100": Fixtures.realizedFDB + [learned], "syvx-200": []]
        #expect(FDBManager.plan(desired: Fixtures.state, observed: observed).isEmpty)
    }

    @Test func aSwitchWithoutItsDeviceGetsNoPlan() {
        #expect(FDBManager.plan(desired: Fixtures.state, observed: ["syvx-200": []]).isEmpty)
    }
}
