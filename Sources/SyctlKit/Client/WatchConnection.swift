import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One `GET /v1/watch` connection: the response's lines as they arrive. `URLSession.data(for:)`
/// waits for the whole body, which a watch never ends, so this reads through a data delegate.
final class WatchConnection: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    // Unchecked: the delegate's callbacks run one at a time on the session's serial queue, and
    // `status` and `pending` are touched only there.
    private let lines: AsyncThrowingStream<String, any Error>.Continuation
    private var status = 0
    private var pending = Data()

    /// Opens the connection; the stream ends when the server closes it, and throws the API's error
    /// for a refused watch (a pruned `since`: `history_pruned`).
    static func open(_ request: URLRequest) -> AsyncThrowingStream<String, any Error> {
        AsyncThrowingStream { continuation in
            let connection = WatchConnection(lines: continuation)
            let queue = OperationQueue()
            queue.maxConcurrentOperationCount = 1
            let session = URLSession(configuration: .ephemeral, delegate: connection, delegateQueue: queue)
            let task = session.dataTask(with: request)
            continuation.onTermination = { _ in
                task.cancel()
                session.invalidateAndCancel()
            }
            task.resume()
        }
    }

    private init(lines: AsyncThrowingStream<String, any Error>.Continuation) {
        self.lines = lines
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        status = (response as? HTTPURLResponse)?.statusCode ?? 0
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        pending.append(data)
        guard (200..<300).contains(status) else { return }
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
            pending.removeSubrange(pending.startIndex...newline)
            if !line.isEmpty { lines.yield(line) }
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        if let error {
            lines.finish(throwing: error)
        } else if !(200..<300).contains(status) {
            if let envelope = try? JSONDecoder().decode(APIError.Envelope.self, from: pending) {
                lines.finish(throwing: envelope.error)
            } else {
                lines.finish(throwing: SyctlError.unexpectedResponse(status: status, detail: String(decoding: pending.prefix(200), as: UTF8.self)))
            }
        } else {
            lines.finish()
        }
    }
}
