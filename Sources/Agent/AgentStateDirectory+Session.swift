import Foundation
import Southbound

extension AgentStateDirectory {
    /// The controller addresses stored in `controller`, one per line; empty when there is none.
    public func loadControllerAddresses() throws -> [ControllerAddress] {
        guard let bytes = try read(.controller) else { return [] }
        let lines = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return try parse(.controller) { try lines.map { try ControllerAddress(parsing: $0) } }
    }

    /// Writes `controller`, one address per line.
    public func storeControllerAddresses(_ addresses: [ControllerAddress]) throws {
        try write(.controller, Array(addresses.map { "\($0)\n" }.joined().utf8))
    }

    /// The state stored in `applied-state.json`, or nil when there is none or an agent of another
    /// wire version wrote it: after an upgrade the agent says hello with nothing applied and gets
    /// a snapshot, while the kernel keeps forwarding as it was.
    public func loadAppliedState() throws -> AppliedState? {
        guard let bytes = try read(.appliedState) else { return nil }
        return try parse(.appliedState) {
            do {
                return try JSONDecoder().decode(AppliedState.self, from: Data(bytes))
            } catch is AppliedState.OtherWireVersion {
                return nil
            }
        }
    }

    /// Writes `applied-state.json`.
    public func storeAppliedState(_ state: AppliedState) throws {
        // The whole state after every change: the streaming encoder is about 3x Foundation's.
        try write(.appliedState, try WireJSONEncoder().encode(state))
    }
}
