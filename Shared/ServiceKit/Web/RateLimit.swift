import HTTP
import Synchronization

/// Middleware that lets each client address make at most `limit` requests per `window`, answering
/// 429 with `Retry-After` past it: for the public endpoints (online submission, lookup, rating),
/// which anyone can call. In-process and per replica; the front door limits too.
public struct RateLimit: Middleware {
    public typealias Context = ServiceRequestContext

    public let limit: Int
    public let window: Duration
    private let counts: Counts

    /// The limit of citizens' endpoints: `MOTCUA_PUBLIC_RATE_LIMIT` per minute, or none when 0.
    public static func publicEndpoints(_ configuration: ServiceConfiguration) -> [any Middleware<ServiceRequestContext>] {
        configuration.publicRateLimit == 0 ? [] : [RateLimit(limit: configuration.publicRateLimit, per: .seconds(60))]
    }

    public init(limit: Int, per window: Duration) {
        precondition(limit > 0 && window > .zero, "a rate limit needs a positive limit and window")
        self.limit = limit
        self.window = window
        counts = Counts()
    }

    public func handle(
        _ request: Request, context: ServiceRequestContext,
        next: @Sendable (Request, ServiceRequestContext) async throws -> Response
    ) async throws -> Response {
        let client = request.remoteAddress ?? "unknown"
        if let wait = counts.take(client, limit: limit, window: window, now: .now) {
            var response = ProblemError(
                status: 429, code: "too_many_requests", title: "Quá nhiều yêu cầu",
                detail: "Bạn đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau \(Int(wait.components.seconds) + 1) giây."
            ).response(instance: request.path, requestId: request.requestId)
            response.headers["Retry-After"] = String(Int(wait.components.seconds) + 1)
            return response
        }
        return try await next(request, context)
    }
}

/// Requests per client in the current fixed window; forgets clients of past windows.
private final class Counts: Sendable {
    private struct Window {
        var start: ContinuousClock.Instant
        var counts: [String: Int] = [:]
    }

    private let state = Mutex(Window(start: .now))

    /// Counts a request of `client`; nil when allowed, else how long until the window ends.
    func take(_ client: String, limit: Int, window: Duration, now: ContinuousClock.Instant) -> Duration? {
        state.withLock { state in
            if now - state.start >= window { state = Window(start: now) }
            let count = state.counts[client, default: 0] + 1
            state.counts[client] = count
            return count > limit ? state.start + window - now : nil
        }
    }
}
