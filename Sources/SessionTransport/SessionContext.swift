import NIOCore
import X509

/// An accepted session as its handler sees it: who the peer is, by TLS, and the means to declare
/// it identified once its first message checks out.
public struct SessionContext: Sendable {
    /// The peer as TLS established it.
    public let peer: PeerIdentity
    /// The verified client certificate, when the peer presented one.
    public let certificate: Certificate?
    private let channel: any Channel

    init(peer: PeerIdentity, certificate: Certificate?, channel: any Channel) {
        self.peer = peer
        self.certificate = certificate
        self.channel = channel
    }

    /// Ends the connection's pending state (see ``AdmissionLimits``): its identification deadline
    /// is cancelled, it no longer counts as pending, and it may send frames up to
    /// ``Frames/maximumFromAgent``. Call it when the peer's first message proves it a host.
    /// - Returns: false when the connection was closed to make room (or closed otherwise) first:
    ///   nothing it asked for should be done, as no answer would reach it.
    @discardableResult
    public func identified() async -> Bool {
        do {
            try await channel.triggerUserOutboundEvent(AdmissionHandler.Identified()).get()
            return channel.isActive
        } catch {
            return false
        }
    }
}
