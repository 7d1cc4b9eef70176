import NIOCore
import NIOSSL

/// A TCP connection with TLS and frame handlers installed, as both listener and connector see it.
struct TLSConnection: Sendable {
    /// Frames in and out.
    let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
    /// The peer's verified certificate (nil when it presented none), once the handshake succeeds.
    let peerCertificate: EventLoopFuture<NIOSSLCertificate?>

    /// Installs `admission` (on accepted connections), `tls`, a handshake observer and the frame
    /// codec on a new channel. Must run on the channel's event loop, as channel initializers do.
    static func configure(
        _ channel: any Channel,
        admission: AdmissionHandler? = nil,
        tls: NIOSSLHandler,
        inboundLimit: FrameLimit,
        outboundMaximum: Int,
        handshakeTimeout: TimeAmount
    ) throws -> TLSConnection {
        let observer = HandshakeObserver(eventLoop: channel.eventLoop, timeout: handshakeTimeout)
        let pipeline = channel.pipeline.syncOperations
        if let admission { try pipeline.addHandler(admission) }
        try pipeline.addHandler(tls)
        try pipeline.addHandler(observer)
        try pipeline.addHandler(ByteToMessageHandler(FrameDecoder(limit: inboundLimit)))
        try pipeline.addHandler(FrameEncoder(maximumFrameSize: outboundMaximum))
        return TLSConnection(
            channel: try NIOAsyncChannel(wrappingChannelSynchronously: channel),
            peerCertificate: observer.peerCertificate
        )
    }

    /// Closes the connection without reading from it. NIO requires every wrapped channel to end
    /// through `executeThenClose`; dropping one otherwise is a precondition failure.
    func discard() async {
        try? await channel.executeThenClose { _, _ in }
    }
}
