import Synchronization

/// The one certificate serial accepted per host name, read on every TLS accept without waiting
/// on the database. Loaded from the store at start and updated as hosts enroll or are revoked.
public final class CertificateRegistry: Sendable {
    private let accepted: Mutex<[String: (host: String, serial: String)]>

    public init(_ entries: [String: (host: String, serial: String)]) {
        accepted = Mutex(entries)
    }

    /// The host id for a certificate, if it is the host's current one.
    public func host(name: String, serial: String) -> String? {
        accepted.withLock { entries in
            guard let entry = entries[name], entry.serial == serial else { return nil }
            return entry.host
        }
    }

    /// The host id of an enrolled host name (the TLS accept already checked the serial).
    public func hostID(named name: String) -> String? {
        accepted.withLock { $0[name]?.host }
    }

    public func enrolled(name: String, host: String, serial: String) {
        accepted.withLock { $0[name] = (host, serial) }
    }

    public func revoke(name: String) {
        accepted.withLock { _ = $0.removeValue(forKey: name) }
    }
}
