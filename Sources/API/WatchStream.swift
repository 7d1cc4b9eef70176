import Foundation
import Hummingbird
import Northbound
import ServiceLifecycle
import Store

/// `GET /v1/watch`: newline-delimited JSON, one ``WatchEvent`` per line, every change the token may
/// see after `since` as it commits, and a bookmark line when nothing was sent for `heartbeat` (so
/// a client learns how far the stream has read and that it is alive). The stream ends when the
/// client goes away or the controller shuts down; the client reconnects with the last revision it
/// read and misses nothing.
///
/// When services are watched, endpoint health comes along as `health` events: status, not
/// commits, so they cannot be replayed from a revision; instead each stream starts with the
/// current health of every checked service, then follows transitions as the hosts report them.
enum WatchStream {
    static let heartbeat: Duration = .seconds(10)
    static let contentType = "application/x-ndjson"

    /// What wakes a stream up.
    private enum Wakeup: Sendable {
        case commit
        case tick
        case health(Set<String>)
    }

    static func register(on v1: RouterGroup<APIRequestContext>, store: Store, southbound: (any SouthboundControl)?) {
        v1.get("watch") { request, context in
            let scope = try context.requireScope()
            let query = try WatchQuery(request: request)
            // Subscribed before the first read, so that no commit falls between the two.
            let commits = store.commits()
            let health = query.kinds.isEmpty || query.kinds.contains("services") ? await southbound?.followHealth() : nil
            let current = try await store.revision()
            let since = query.since ?? current
            // The first read answers a pruned or future `since` as an error, before the stream starts.
            let first = try await store.watch(since: since, kinds: query.kinds, scope: scope)
            let source = Source(store: store, southbound: southbound, query: query, scope: scope)
            return Response(status: .ok, headers: [.contentType: contentType, JSONResponse.revisionHeader: String(since)],
                            body: ResponseBody { writer in
                                try await stream(first, from: source, commits: commits, health: health, to: &writer)
                                try await writer.finish(nil)
                            })
        }
    }

    /// Where a stream's events come from.
    private struct Source: Sendable {
        let store: Store
        let southbound: (any SouthboundControl)?
        let query: WatchQuery
        let scope: Scope

        func changes(after revision: Int64) async throws -> (through: Int64, more: Bool, events: [WatchEvent]) {
            try await store.watch(since: revision, kinds: query.kinds, scope: scope)
        }

        /// A health event for each of `services` the token may see, as of `revision`.
        func health(of services: Set<String>, at revision: Int64) async -> [WatchEvent] {
            var events: [WatchEvent] = []
            for id in services.sorted() {
                guard let endpoints = try? await ServiceEndpointsView.make(id, scope: scope, store: store, southbound: southbound) else { continue }
                events.append(WatchEvent(revision: revision, type: .health, kind: "services", id: id, object: endpoints))
            }
            return events
        }
    }

    private static func stream(_ first: (through: Int64, more: Bool, events: [WatchEvent]), from source: Source, commits: AsyncStream<Int64>,
                               health: (checked: Set<String>, transitions: AsyncStream<Set<String>>)?,
                               to writer: inout any ResponseBodyWriter) async throws {
        let (wakeups, wake) = AsyncStream.makeStream(of: Wakeup.self, bufferingPolicy: .bufferingNewest(64))
        let forward = Task {
            for await _ in commits { wake.yield(.commit) }
            wake.finish()
        }
        let transitions = Task {
            guard let health else { return }
            for await services in health.transitions { wake.yield(.health(services)) }
        }
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: heartbeat)
                wake.yield(.tick)
            }
        }
        defer {
            forward.cancel()
            transitions.cancel()
            ticker.cancel()
        }
        var batch = first
        batch.events += await source.health(of: health?.checked ?? [], at: first.through)
        var lastWrite = ContinuousClock.now
        var iterator = wakeups.makeAsyncIterator()
        // A controller shutting down ends the stream (the wake-ups end); it would wait for it otherwise.
        try await withGracefulShutdownHandler {
            while !Task.isCancelled {
                if !batch.events.isEmpty {
                    try await writer.write(lines(batch.events))
                    batch.events = []
                    lastWrite = .now
                }
                if !batch.more {
                    switch await iterator.next() {
                    case nil:
                        return
                    case .tick:
                        if ContinuousClock.now - lastWrite >= heartbeat {
                            try await writer.write(lines([WatchEvent(revision: batch.through, type: .bookmark)]))
                            lastWrite = .now
                        }
                        continue
                    case .health(let services):
                        batch.events = await source.health(of: services, at: batch.through)
                        continue
                    case .commit:
                        break
                    }
                }
                batch = try await source.changes(after: batch.through)
            }
        } onGracefulShutdown: {
            wake.finish()
        }
    }

    static func lines(_ events: [WatchEvent]) throws -> ByteBuffer {
        var buffer = ByteBuffer()
        for event in events {
            buffer.writeBytes(try JSONResponse.encoder.encode(event))
            buffer.writeInteger(UInt8(ascii: "\n"))
        }
        return buffer
    }
}
