@testable import Controller
import Northbound
import Southbound
import Testing

/// What a controller makes of the host status the other controllers of its store report: acks
/// count for realization, and an agent that moves here holding the current state is sent nothing.
@Suite struct SharedHostStatusTests {
    /// hs-1 and hs-2 on switch sw-1, each with a port, at revision 5.
    static func desired() -> DesiredState {
        var state = DesiredState(revision: 5)
        for index in 1...2 {
            state.hosts["hs-\(index)"] = Host(id: "hs-\(index)", name: "hv\(index)", address: "198.18.0.1\(index)", role: .compute,
                                            labels: [:], revision: 1)
            state.ports["pt-\(index)"] = port(index, host: "hs-\(index)")
        }
        state.switches["sw-1"] = LogicalSwitch(id: "sw-1", tenant: "tn-1", name: "web", cidr: "10.0.0.0/24", gateway: "10.0.0.1", mtu: 1450,
                                               vni: 100, labels: [:], revision: 1)
        return state
    }

    static func port(_ index: Int, host: String, revision: Int64 = 1) -> Port {
        Port(id: "pt-\(index)", tenant: "tn-1", switch: "sw-1", name: "p\(index)", mac: "02:00:00:00:00:0\(index)", ip: "10.0.0.\(10 + index)",
             host: host, labels: [:], revision: revision)
    }

    static func acked(_ revision: Int64, connected: Bool = true) -> HostSessionStatus {
        HostSessionStatus(connected: connected, ackedRevision: revision)
    }

    @Test func acksReportedByAnotherControllerCountForRealizationHere() async {
        let hub = SouthboundHub(Self.desired())
        #expect(await hub.hasRealized(host: "hs-1", revision: 5) == false)
        #expect(await hub.progressMark == 0)
        await hub.updateReportedStatuses(["hs-1": Self.acked(5)])
        #expect(await hub.hasRealized(host: "hs-1", revision: 5))
        #expect(await hub.status(of: "hs-1").connected, "connected at the other controller")
        #expect(await hub.progressMark > 0, "an ack reported elsewhere wakes the realization waits")
        await hub.updateReportedStatuses(["hs-1": Self.acked(5, connected: false)])
        #expect(await hub.status(of: "hs-1").connected == false)
        #expect(await hub.hasRealized(host: "hs-2", revision: 5) == false)
    }

    @Test func anAgentHoldingTheStateItAckedElsewhereIsSentNothingThenDeltas() async {
        let hub = SouthboundHub(Self.desired())
        await hub.updateReportedStatuses(["hs-1": Self.acked(5)])
        let (session, _) = await hub.attach(host: "hs-1", appliedRevision: 5)
        #expect(await hub.nextMessage(host: "hs-1", session: session) == nil, "no snapshot: the agent holds this state")
        #expect(await hub.status(of: "hs-1").ackedRevision == 5)

        await hub.apply([.port(id: "pt-3", Port(id: "pt-3", tenant: "tn-1", switch: "sw-1", name: "p3", mac: "02:00:00:00:00:03",
                                                ip: "10.0.0.13", host: "hs-1", labels: [:], revision: 6))], revision: 6)
        guard case .delta(let from, let to, _)? = await hub.nextMessage(host: "hs-1", session: session) else {
            Issue.record("the next change is not a delta")
            return
        }
        #expect(from == 5 && to == 6)
    }

    @Test(arguments: [true, false])
    func anAgentOneChangeBehindGetsADeltaFromWhatItAckedElsewhere(keepsPreviousStates: Bool) async {
        let hub = SouthboundHub(Self.desired(), keepsPreviousStates: keepsPreviousStates)
        await hub.apply([.port(id: "pt-1", nil)], revision: 6)
        await hub.apply([.port(id: "pt-2", Self.port(2, host: "hs-2", revision: 7))], revision: 7)
        // The agent acked revision 5 at a controller that died before it could send 6.
        await hub.updateReportedStatuses(["hs-1": Self.acked(5)])
        let (session, _) = await hub.attach(host: "hs-1", appliedRevision: 5)
        switch await hub.nextMessage(host: "hs-1", session: session) {
        case .delta(let from, let to, _)?: #expect(keepsPreviousStates && from == 5 && to == 6)
        case .snapshot?: #expect(!keepsPreviousStates, "a hub that keeps previous states sends a delta")
        default: Issue.record("neither a delta nor a snapshot")
        }
    }

    @Test func anAgentHoldingARevisionFoldedIntoOneApplyGetsASnapshot() async {
        let hub = SouthboundHub(Self.desired(), keepsPreviousStates: true)
        // The change feed caught up with 6 (pt-3 added on hs-1) and 7 (pt-3 gone, pt-1 gone) at once:
        // the state at 6 was never compiled here, so what an agent acked at 6 is unknown.
        await hub.apply([.port(id: "pt-1", nil)], revision: 7)
        await hub.updateReportedStatuses(["hs-1": Self.acked(6)])
        let (session, _) = await hub.attach(host: "hs-1", appliedRevision: 6)
        guard case .snapshot? = await hub.nextMessage(host: "hs-1", session: session) else {
            Issue.record("a delta from a state the agent may not hold")
            return
        }
    }

    @Test func anAgentWhoseRevisionNoControllerReportedGetsASnapshot() async {
        let hub = SouthboundHub(Self.desired())
        await hub.updateReportedStatuses(["hs-1": Self.acked(4)])
        let (session, _) = await hub.attach(host: "hs-1", appliedRevision: 5)
        guard case .snapshot(let revision, _)? = await hub.nextMessage(host: "hs-1", session: session) else {
            Issue.record("no snapshot for a revision not known to be of this store")
            return
        }
        #expect(revision == 5)
    }

    @Test func anAgentHoldingAStateOlderThanTheCurrentOneGetsASnapshot() async {
        var state = Self.desired()
        state.revision = 7
        let hub = SouthboundHub(state)
        // The state of hs-1 counts as changed at 7, after what the agent acked elsewhere.
        await hub.updateReportedStatuses(["hs-1": Self.acked(6)])
        let (session, _) = await hub.attach(host: "hs-1", appliedRevision: 6)
        guard case .snapshot(let revision, _)? = await hub.nextMessage(host: "hs-1", session: session) else {
            Issue.record("no snapshot for an agent behind")
            return
        }
        #expect(revision == 7)
    }

    @Test func anAgentAheadOfThisControllersChangeFeedWaitsForIt() async {
        let hub = SouthboundHub(Self.desired())
        await hub.updateReportedStatuses(["hs-1": Self.acked(7)])
        let (session, _) = await hub.attach(host: "hs-1", appliedRevision: 7)
        #expect(await hub.nextMessage(host: "hs-1", session: session) == nil, "nothing older than what the agent holds")
        // Revisions 6 and 7 change only hs-2: once here, hs-1's agent is known to hold the current state.
        await hub.apply([.port(id: "pt-2", Self.port(2, host: "hs-2", revision: 6))], revision: 6)
        #expect(await hub.nextMessage(host: "hs-1", session: session) == nil)
        await hub.apply([.port(id: "pt-2", Self.port(2, host: "hs-2", revision: 7))], revision: 7)
        #expect(await hub.nextMessage(host: "hs-1", session: session) == nil)
        await hub.apply([.port(id: "pt-1", nil)], revision: 8)
        guard case .delta(let from, let to, _)? = await hub.nextMessage(host: "hs-1", session: session) else {
            Issue.record("the change at 8 is not a delta")
            return
        }
        #expect(from == 7 && to == 8)
    }
}
