import Northbound
import Synchronization

/// Remembers which token a hash belongs to and the scope it grants, so authenticating a request
/// costs no database read.
///
/// Revocation must win over the cache: every token delete bumps the generation and empties the
/// cache after its commit, and a lookup that read the database under an older generation does not
/// store its answer, so a revoked token can never be cached again.
final class TokenCache: Sendable {
    private struct State {
        var generation = 0
        var tokens: [String: AuditActor] = [:]
    }

    private let state = Mutex(State())

    func token(forHash hash: String, load: () async throws -> AuditActor?) async rethrows -> AuditActor? {
        let (cached, generation) = state.withLock { ($0.tokens[hash], $0.generation) }
        if let cached { return cached }
        guard let loaded = try await load() else { return nil }
        state.withLock { if $0.generation == generation { $0.tokens[hash] = loaded } }
        return loaded
    }

    func invalidate() {
        state.withLock {
            $0.generation += 1
            $0.tokens.removeAll()
        }
    }
}
