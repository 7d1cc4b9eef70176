/// Who is at the other end of an accepted session, as established by TLS.
public enum PeerIdentity: Hashable, Sendable {
    /// The peer presented a client certificate issued by our CA; the value is its host name.
    case host(String)
    /// The peer presented no client certificate: it may only enroll.
    case enrolling
}
