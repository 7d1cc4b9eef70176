import Northbound
import Store

/// A service's endpoints with the health their hosts last reported, as
/// `GET /v1/services/{id}/endpoints` and the watch's health events show them.
enum ServiceEndpointsView {
    static func make(_ id: String, scope: Scope, store: Store, southbound: (any SouthboundControl)?) async throws -> ServiceEndpoints {
        var endpoints = try await store.serviceEndpoints(id, scope: scope)
        if let health = await southbound?.endpointHealth(ofService: id) {
            for index in endpoints.indices { endpoints[index].health = health[endpoints[index].port] }
        }
        return ServiceEndpoints(items: endpoints)
    }
}
