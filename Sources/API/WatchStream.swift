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
enum WatchStream {
    static let heartbeat: Duration = .seconds(10)
    static let contentType = "application/x-ndjson"

    static func register(on v1: RouterGroup<APIRequestContext>, store: Store) {
        v1.get("watch") { request, context in
            let scope = try context.requireScope()
            let query = try WatchQuery(request: request)
            // Subscribed before the first read, so that no commit falls between the two.
            let commits = store.commits()
            let current = try await store.revision()
            let since = query.since ?? current
            // The first read answers a pruned or future `since` as an error, before the stream starts.
            let first = try await store.watch(since: since, kinds: query.kinds, scope: scope)
            return Response(status: .ok, headers: [.contentType: contentType, JSONResponse.revisionHeader: String(since)],
                            body: ResponseBody { writer in
                                try await stream(first, store: store, query: query, scope: scope, commits: commits, to: &writer)
                                try await writer.finish(nil)
                            })
        }
    }

    private static func stream(_ first: (through: Int64, more: Bool, events: [WatchEvent]), store: Store, query: WatchQuery, scope: Scope,
                               commits: AsyncStream<Int64>, to writer: inout any ResponseBodyWriter) async throws {
        // Commits and heartbeats as one sequence of wake-ups: true for a commit.
        let (wakeups, wake) = AsyncStream.makeStream(of: Bool.self, bufferingPolicy: .bufferingNewest(16))
        let forward = Task {
            for await _ in commits { wake.yield(true) }
            wake.finish()
        }
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: heartbeat)
                wake.yield(false)
            }
        }
        defer {
            forward.cancel()
            ticker.cancel()
        }
        var batch = first
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
                    guard let committed = await iterator.next() else { return }
                    guard committed else {
                        if ContinuousClock.now - lastWrite >= heartbeat {
                            try await writer.write(lines([WatchEvent(revision: batch.through, type: .bookmark)]))
                            lastWrite = .now
                        }
                        continue
                    }
                }
                batch = try await store.watch(since: batch.through, kinds: query.kinds, scope: scope)
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
