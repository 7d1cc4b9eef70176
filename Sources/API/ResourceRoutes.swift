import Hummingbird
import Northbound
import Store

/// The five routes of a top-level resource: create, list, get, update (PATCH) and delete.
struct ResourceRoutes<Item: Codable & Sendable, Create: Codable & Sendable, Update: Codable & Sendable>: Sendable {
    /// The `RealizationWait` is the request's `?wait=realized`, for resources whose realization is tracked.
    let create: @Sendable (Create, Scope, RealizationWait) async throws -> Committed<Item>
    let get: @Sendable (String, Scope) async throws -> Item
    let list: @Sendable (ListQuery, Scope) async throws -> Page<Item>
    /// nil for resources that cannot be changed after creation.
    let update: (@Sendable (String, Update, Set<String>, Scope, RealizationWait) async throws -> Committed<Item>)?
    let delete: @Sendable (String, Scope) async throws -> Committed<String>

    func register(on group: RouterGroup<APIRequestContext>, path: String) {
        group.post(RouterPath(path)) { request, context in
            let wait = try RealizationWait(request: request)
            let (body, _) = try await JSONBody.decode(Create.self, from: request)
            return try JSONResponse.committed(try await create(body, context.requireScope(), wait), status: .created)
        }
        group.get(RouterPath(path)) { request, context in
            try JSONResponse.make(try await list(ListQuery(request: request), context.requireScope()))
        }
        group.get(RouterPath("\(path)/:id")) { _, context in
            try JSONResponse.make(try await get(context.parameters.require("id"), context.requireScope()))
        }
        if let update {
            group.patch(RouterPath("\(path)/:id")) { request, context in
                let wait = try RealizationWait(request: request)
                let (body, nulls) = try await JSONBody.decode(Update.self, from: request)
                return try JSONResponse.committed(try await update(context.parameters.require("id"), body, nulls, context.requireScope(), wait))
            }
        }
        group.delete(RouterPath("\(path)/:id")) { _, context in
            try JSONResponse.deleted(try await delete(context.parameters.require("id"), context.requireScope()))
        }
    }
}
