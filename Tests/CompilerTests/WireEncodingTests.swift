import Compiler
import Foundation
import Northbound
import Southbound
import Testing

/// Compiled states of random clouds (switches, routers, edges, policies, services, DNS) and the
/// deltas between them, written by the controller's streaming encoder, read back by the agent's
/// decoder as the same values.
@Suite struct WireEncodingTests {
    @Test(arguments: 0..<40)
    func compiledStatesSurviveTheStreamingEncoder(seed: Int) throws {
        var changes = RandomChanges(seed: UInt64(70_000 + seed))
        var state = DesiredState()
        for _ in 0..<40 { state.apply(changes.next(for: state)) }
        let before = compile(state)
        for _ in 0..<20 { state.apply(changes.next(for: state)) }
        let after = compile(state)
        for (host, new) in after {
            let messages: [ControllerMessage] = [.snapshot(revision: 60, state: new)]
                + (before[host].map { [.delta(fromRevision: 40, revision: 60, delta: HostStateDelta(from: $0, to: new))] } ?? [])
            for message in messages {
                let decoded = try JSONDecoder().decode(ControllerMessage.self, from: Data(WireJSONEncoder().encode(message)))
                #expect(decoded == message, "seed \(seed), host \(host)")
            }
        }
    }
}
