@testable import SessionTransport
import Testing

/// The gate's bookkeeping, without sockets.
@Suite struct ConnectionGateTests {
    /// An agent's enrollment must not be carried out on a connection that was closed to make room
    /// while its first message was being read: the token would be spent on an answer nobody reads.
    @Test func aConnectionClosedToMakeRoomIsNotIdentifiedAfterwards() {
        let gate = ConnectionGate(limits: AdmissionLimits(maximumPendingPerSource: 8, maximumPending: 1))
        let first = gate.admit(source: "198.18.0.11", close: {})
        let second = gate.admit(source: "198.18.0.12", close: {})
        #expect(first != nil && second != nil)
        #expect(first.map(gate.identified) == false, "evicted for the second")
        #expect(second.map(gate.identified) == true)
        #expect(gate.counts.pending == 0)
    }
}
