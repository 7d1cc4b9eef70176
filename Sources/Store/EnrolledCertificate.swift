/// The certificates accepted for one enrolled host: its current serial and, after a renewal, the
/// one it renewed from.
public struct EnrolledCertificate: Equatable, Sendable {
    public var host: String
    public var serials: Set<String>

    public init(host: String, serials: Set<String>) {
        self.host = host
        self.serials = serials
    }
}
