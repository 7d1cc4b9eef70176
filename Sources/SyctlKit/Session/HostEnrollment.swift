import Northbound

/// The parts of `syctl host enroll` and `syctl host revoke` that need no controller: the TTL check and the output.
public enum HostEnrollment {
    /// The token lifetimes the API accepts: a minute to 30 days.
    public static let ttlRange = 60...(30 * 86_400)

    /// The `--ttl` to send: nil (the API's default, 24 hours) or a number of seconds the API accepts.
    public static func validatedTTL(_ seconds: Int?) throws -> Int? {
        guard let seconds else { return nil }
        guard ttlRange.contains(seconds) else {
            throw SyctlError.invalidArgument(
                "--ttl must be \(ttlRange.lowerBound) to \(ttlRange.upperBound) seconds (30 days), not \(seconds)")
        }
        return seconds
    }

    /// What `host enroll` prints: in table format only the join string, so that `$(syctl host enroll hv-1)`
    /// captures what the agent needs; in JSON the whole token.
    public static func output(_ token: HostEnrollmentToken, format: OutputFormat) throws -> String {
        switch format {
        case .table: token.joinString
        case .json: try OutputRenderer.json(token)
        }
    }

    /// What `host revoke` prints in table format, like `host/hv-1 revoked`.
    public static func revokedMessage(_ host: Host) -> String {
        "\(ObjectKey(kind: .host, name: host.name).reference) revoked"
    }
}
