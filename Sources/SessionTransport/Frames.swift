import NIOCore

/// The frames a peer sends, in order; each element is one frame's payload.
public typealias InboundFrames = NIOAsyncChannelInboundStream<ByteBuffer>

/// Sends frames to the peer; each written buffer becomes one frame.
public typealias FrameWriter = NIOAsyncChannelOutboundWriter<ByteBuffer>

/// Frame size limits. Each direction has its own, and a listener accepts only small frames until
/// the peer is identified, so a peer without a certificate cannot make the controller buffer much.
public enum Frames {
    /// What a peer may send before it is identified: an enrollment request or a hello.
    public static let maximumBeforeIdentification = 64 * 1024
    /// What an identified agent may send in one frame: an ack listing many failed objects.
    public static let maximumFromAgent = 4 * 1024 * 1024
    /// What the controller may send in one frame: a host's whole state. The controller bounds
    /// compiled host state well below this, so a legitimate snapshot never meets it.
    public static let maximumFromController = 256 * 1024 * 1024
}
