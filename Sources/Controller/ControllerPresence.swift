import Foundation
import Store
import Synchronization

/// The controllers serving the store, as agents should know them: this one first, then every
/// other one heard within `lostAfter`. Each controller of a shared store writes its southbound
/// address every second and reads the others'; with a store of its own, the list is this one.
public final class ControllerPresence: Sendable {
    /// This controller's southbound address, `host:port`, as agents dial it.
    public let own: String
    private let store: Store
    private let others = Mutex<[String]>([])
    static let lostAfter: TimeInterval = 10

    init(own: String, store: Store) {
        self.own = own
        self.store = store
    }

    /// This controller first, then the others alive.
    public var addresses: [String] { [own] + others.withLock { $0 } }

    /// Whether agents are told the list (``Southbound/ControllerMessage/controllers(_:)``): only
    /// controllers of a shared store send it, so agents of a single controller see no change.
    public var isShared: Bool { store.isShared }

    /// Runs until cancelled, with a shared store: a failed round is tried again a second later.
    public func run() async throws {
        while true {
            do {
                try await store.reportController(own)
                let heard = try await store.controllers(heardWithin: Self.lostAfter).filter { $0 != own }
                others.withLock { $0 = heard }
            } catch {
                // The database is away: keep the last list, agents may need it most now.
            }
            try await Task.sleep(for: .seconds(1))
        }
    }
}
