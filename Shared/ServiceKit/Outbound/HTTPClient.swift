import Foundation

/// A small HTTP/1.1 client for calls out of a service (the national portal, the province centre):
/// one new connection per request, `Connection: close`, the whole body sent and the whole response
/// read (by `Content-Length`, chunked, or to the end of the connection), all within `timeout`.
///
/// Plain `http://` only: no TLS (an `https://` URL is refused when parsed; see `OutboundURL`).
/// The socket work runs on a thread of its own, bridged with a continuation, so blocking calls never
/// hold one of Swift's cooperative threads (nor wait for a free thread of Dispatch's pool); cancelling the calling task ends the exchange within
/// about 100 ms. The name lookup (`getaddrinfo`) is the one step the timeout cannot cut short.
public struct HTTPClient: Sendable {
    /// The longest a whole exchange may take: connecting, sending and reading the response.
    public var timeout: Duration
    /// The longest response accepted, head and body together.
    public var maximumResponseBytes: Int

    public init(timeout: Duration = .seconds(10), maximumResponseBytes: Int = 1 << 20) {
        precondition(timeout > .zero && maximumResponseBytes > 0, "a client needs a timeout and room for a response")
        self.timeout = timeout
        self.maximumResponseBytes = maximumResponseBytes
    }

    /// Sends `request` and returns the response, whatever its status; throws `OutboundError` when
    /// no whole response arrived in time.
    public func send(_ request: OutboundRequest) async throws -> OutboundResponse {
        let exchange = SocketExchange(
            request: request, deadline: .now + timeout, maximumResponseBytes: maximumResponseBytes,
            cancellation: CancellationFlag())
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                Thread {
                    continuation.resume(with: Result { () throws(OutboundError) in try exchange.run() })
                }.start()
            }
        } onCancel: {
            exchange.cancellation.set()
        }
    }
}
