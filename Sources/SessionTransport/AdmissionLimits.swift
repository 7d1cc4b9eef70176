import NIOCore

/// What a listener allows before a peer has proven who it is, and in all.
///
/// A connection is *pending* from accept until its session identifies the peer (see
/// ``SessionContext/identified()``), and must be identified within `identificationDeadline` (TLS
/// handshake and first frame included) or it is closed. A source address (an IPv6 /64) over its
/// pending cap is refused at accept; when all pending slots (or all connections) are taken, the
/// oldest pending connection is closed to make room, so many addresses that never identify
/// themselves cannot lock agents out. Identified connections count only against
/// `maximumConnections`, so a thousand agents behind one address are fine once they are in.
public struct AdmissionLimits: Sendable {
    /// From accept to identification.
    public var identificationDeadline: TimeAmount
    /// Pending connections from one source address.
    public var maximumPendingPerSource: Int
    /// Pending connections from all sources.
    public var maximumPending: Int
    /// Pending and identified connections together.
    public var maximumConnections: Int

    public init(identificationDeadline: TimeAmount = .seconds(5), maximumPendingPerSource: Int = 64,
                maximumPending: Int = 1_024, maximumConnections: Int = 20_000) {
        self.identificationDeadline = identificationDeadline
        self.maximumPendingPerSource = maximumPendingPerSource
        self.maximumPending = maximumPending
        self.maximumConnections = maximumConnections
    }
}
