import Store
import Synchronization

/// The certificate serials accepted per host name, read on every TLS accept without waiting on the
/// database. Loaded from the store at start and updated as hosts enroll, renew, are revoked or
/// deleted. Each update carries the revision its change committed at, and one older than what the
/// registry holds for that name is ignored: an enrollment that races with a revocation cannot
/// bring the revoked certificate back.
public final class CertificateRegistry: Sendable {
    private struct Entry {
        /// nil once revoked or deleted.
        var enrolled: EnrolledCertificate?
        var revision: Int64
    }

    private let entries: Mutex<[String: Entry]>

    /// The registry for `certificates`, as the store held them at `revision`.
    public init(_ certificates: [String: EnrolledCertificate], revision: Int64) {
        entries = Mutex(certificates.mapValues { Entry(enrolled: $0, revision: revision) })
    }

    /// The host id for a certificate, if its serial is accepted for the host it names.
    public func host(name: String, serial: String) -> String? {
        entries.withLock { entries in
            guard let enrolled = entries[name]?.enrolled, enrolled.serials.contains(serial) else { return nil }
            return enrolled.host
        }
    }

    /// The host id of an enrolled host name (the TLS accept already checked the serial).
    public func hostID(named name: String) -> String? {
        entries.withLock { $0[name]?.enrolled?.host }
    }

    /// The host names the registry holds an entry for, accepted or not.
    public var names: Set<String> {
        entries.withLock { Set($0.keys) }
    }

    /// Records what the store committed for `name` at `revision` (nil: nothing is accepted any
    /// more); returns false when the registry already holds a newer change.
    @discardableResult
    public func record(name: String, _ enrolled: EnrolledCertificate?, revision: Int64) -> Bool {
        entries.withLock { entries in
            if let held = entries[name], held.revision > revision { return false }
            entries[name] = Entry(enrolled: enrolled, revision: revision)
            return true
        }
    }
}
