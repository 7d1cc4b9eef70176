import Northbound
import Store

/// `GET /v1/health`, for load balancers and operators, without a token: whether this controller can
/// read its store now, which store, and whether it leads (takes the edge-failover decisions). A
/// controller that cannot reach its store answers 503 `unavailable`: it takes no writes then.
struct ControllerHealth: Encodable {
    let status: String
    let store: String
    let shared: Bool
    let revision: Int64
    let leader: Bool

    static func check(_ store: Store) async throws -> ControllerHealth {
        let revision: Int64
        do {
            revision = try await store.revision()
        } catch let error as ModelError where error.code == .unavailable {
            throw error
        } catch {
            throw ModelError(.unavailable, "the store cannot be read: \(error)")
        }
        return ControllerHealth(status: "ok", store: store.kind, shared: store.isShared, revision: revision,
                                leader: await store.isLeader())
    }
}
