import NIOCore

/// The frames a peer sends, in order; each element is one frame's payload.
public typealias InboundFrames = NIOAsyncChannelInboundStream<ByteBuffer>

/// Sends frames to the peer; each written buffer becomes one frame.
public typealias FrameWriter = NIOAsyncChannelOutboundWriter<ByteBuffer>

/// Limits shared by both ends of a session.
public enum Frames {
    /// The largest payload accepted in one frame: 16 MiB, far above any snapshot a host needs,
    /// small enough that a bogus length cannot make the reader allocate without bound.
    public static let defaultMaximumSize = 16 * 1024 * 1024
}
