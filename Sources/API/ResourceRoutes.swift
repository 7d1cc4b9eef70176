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

    /// These routes with every object they answer passed through `view`, which adds what the store
    /// does not hold (agent status, realization) and may wait as the request's `?wait=` asks.
    func viewed(_ view: @escaping @Sendable (Item, RealizationWait) async throws -> Item) -> ResourceRoutes {
        let (create, get, list, update) = (self.create, self.get, self.list, self.update)
        let viewedCreate: @Sendable (Create, Scope, RealizationWait) async throws -> Committed<Item> = { body, scope, wait in
            let committed = try await create(body, scope, wait)
            return Committed(value: try await view(committed.value, wait), revision: committed.revision)
        }
        let viewedGet: @Sendable (String, Scope) async throws -> Item = { id, scope in
            try await view(try await get(id, scope), .immediate)
        }
        let viewedList: @Sendable (ListQuery, Scope) async throws -> Page<Item> = { query, scope in
            let page = try await list(query, scope)
            var items: [Item] = []
            for item in page.items { items.append(try await view(item, .immediate)) }
            return Page(items: items, next: page.next)
        }
        var viewedUpdate: (@Sendable (String, Update, Set<String>, Scope, RealizationWait) async throws -> Committed<Item>)?
        if let update {
            viewedUpdate = { id, body, nulls, scope, wait in
                let committed = try await update(id, body, nulls, scope, wait)
                return Committed(value: try await view(committed.value, wait), revision: committed.revision)
            }
        }
        return ResourceRoutes(create: viewedCreate, get: viewedGet, list: viewedList, update: viewedUpdate, delete: delete)
    }

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
