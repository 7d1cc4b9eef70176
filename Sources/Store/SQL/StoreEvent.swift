/// What a controller tells the others sharing its store, at commit.
public enum StoreEvent: Sendable, Equatable {
    /// A transaction committed at this revision: read the changes.
    case committed(Int64)
    /// Tokens were revoked: forget the tokens cached.
    case tokensRevoked
    /// A controller reported the status of hosts whose agents it serves: read it.
    case hostStatusReported
    /// The backend may have missed events (its listening connection was lost and is back): catch
    /// up as if everything had changed.
    case resumed
}
