import Logging

/// The controllers an agent may hold its session with, in turn: each new session goes to the
/// controller after the last one's, so one that went away is left at once. The list the
/// controllers send (``Southbound/ControllerMessage/controllers(_:)``) replaces it and is stored
/// for the next start, unless the operator fixed the list.
actor ControllerRotation {
    private(set) var addresses: [ControllerAddress]
    private var next = 0
    private let directory: AgentStateDirectory?

    /// - Parameter directory: where a list the controllers send is stored; nil when the operator
    ///   gave the list (`--controller`), which then stays as given.
    init(_ addresses: [ControllerAddress], storingIn directory: AgentStateDirectory?) {
        precondition(!addresses.isEmpty, "an agent needs a controller")
        self.addresses = addresses
        self.directory = directory
    }

    /// The controller to try now.
    func take() -> ControllerAddress {
        defer { next += 1 }
        return addresses[next % addresses.count]
    }

    var count: Int { addresses.count }

    /// Takes the controllers' own list; unparsable entries are left out, an empty list is ignored.
    func replace(with texts: [String], logger: Logger) {
        let parsed = texts.compactMap { try? ControllerAddress(parsing: $0) }
        guard let directory, !parsed.isEmpty, parsed != addresses else { return }
        addresses = parsed
        next = 0
        do {
            try directory.storeControllerAddresses(parsed)
            logger.info("controllers", metadata: ["addresses": "\(parsed.map(\.description).joined(separator: ", "))"])
        } catch {
            logger.warning("cannot store the controllers' addresses", metadata: ["reason": "\(error)"])
        }
    }
}
