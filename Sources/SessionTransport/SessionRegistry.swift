import NIOConcurrencyHelpers
import NIOCore

/// The live sessions of a listener, so that a host's sessions can be cut off when it is revoked.
final class SessionRegistry: Sendable {
    private struct Entry {
        let host: String?
        /// The serial of the peer's certificate; empty without one.
        let serial: String
        let channel: any Channel
    }

    private struct State {
        var nextID = 0
        var entries: [Int: Entry] = [:]
        var isClosed = false
    }

    private let state = NIOLockedValueBox(State())

    /// Records a session; nil once the listener is closed, and then the caller must drop the connection.
    func register(_ channel: any Channel, host: String?, serial: String) -> Int? {
        state.withLockedValue { state in
            guard !state.isClosed else { return nil }
            state.nextID += 1
            state.entries[state.nextID] = Entry(host: host, serial: serial, channel: channel)
            return state.nextID
        }
    }

    func remove(_ id: Int) {
        _ = state.withLockedValue { $0.entries.removeValue(forKey: id) }
    }

    /// Closes every session of `host` whose certificate serial is not in `keeping`; returns how many there were.
    @discardableResult
    func closeSessions(of host: String, keeping: Set<String>) -> Int {
        let channels = state.withLockedValue { state in
            state.entries.values.filter { $0.host == host && !keeping.contains($0.serial) }.map(\.channel)
        }
        for channel in channels { channel.close(promise: nil) }
        return channels.count
    }

    /// Closes every session and refuses new ones.
    func closeAll() {
        let channels = state.withLockedValue { state in
            state.isClosed = true
            return state.entries.values.map(\.channel)
        }
        for channel in channels { channel.close(promise: nil) }
    }
}
