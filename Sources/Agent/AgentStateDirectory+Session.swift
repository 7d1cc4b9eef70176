import Foundation

extension AgentStateDirectory {
    /// The controller address stored in `controller`, or nil when there is none.
    public func loadControllerAddress() throws -> ControllerAddress? {
        guard let bytes = try read(.controller) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return try parse(.controller) { try ControllerAddress(parsing: text) }
    }

    /// Writes `controller`.
    public func storeControllerAddress(_ address: ControllerAddress) throws {
        try write(.controller, Array("\(address)\n".utf8))
    }

    /// The state stored in `applied-state.json`, or nil when there is none.
    public func loadAppliedState() throws -> AppliedState? {
        guard let bytes = try read(.appliedState) else { return nil }
        return try parse(.appliedState) { try JSONDecoder().decode(AppliedState.self, from: Data(bytes)) }
    }

    /// Writes `applied-state.json`.
    public func storeAppliedState(_ state: AppliedState) throws {
        try write(.appliedState, Array(try JSONEncoder().encode(state)))
    }
}
