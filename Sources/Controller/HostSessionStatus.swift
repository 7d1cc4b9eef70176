import Foundation
import Southbound

/// What the controller knows about one host's agent, for the API.
public struct HostSessionStatus: Codable, Equatable, Sendable {
    public var connected: Bool
    /// When the agent last sent anything.
    public var lastSeen: Date?
    /// The latest revision the host acked; everything up to it is realized there.
    public var ackedRevision: Int64
    /// Objects the agent reported it could not realize at its last ack.
    public var errors: [ObjectError]
    /// How the agent separates routers, as its hello said.
    public var routingDomain: String?

    public init(connected: Bool = false, lastSeen: Date? = nil, ackedRevision: Int64 = 0, errors: [ObjectError] = []) {
        self.connected = connected
        self.lastSeen = lastSeen
        self.ackedRevision = ackedRevision
        self.errors = errors
    }
}
