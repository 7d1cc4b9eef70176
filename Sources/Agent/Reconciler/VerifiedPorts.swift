import Southbound

/// The ports whose workload end a pass found as desired, so that later passes can skip reading
/// their namespaces while nothing about them changes.
actor VerifiedPorts {
    struct Entry: Equatable, Sendable {
        var port: PortState
        var attachment: PortAttachment
    }

    private var entries: [String: Entry] = [:]
    private var passes = 0

    /// Counts a pass; true when it must read every namespace.
    func startPass(fullEvery: Int) -> Bool {
        defer { passes += 1 }
        return passes % fullEvery == 0
    }

    func entry(for port: String) -> Entry? { entries[port] }

    /// Replaces what is verified with what this pass left matching.
    func record(_ verified: [(String, Entry)]) {
        entries = Dictionary(verified, uniquingKeysWith: { _, last in last })
    }
}
