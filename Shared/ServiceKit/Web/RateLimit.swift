import HTTP

/// Middleware that lets each client address make at most `limit` requests per `window`, answering
/// 429 with `Retry-After` past it: for the public endpoints (online submission, lookup, rating),
/// which anyone can call. In-process and per replica; the front door limits too.
public struct RateLimit: Middleware {
    public typealias Context = ServiceRequestContext

    private let windows: ClientWindows

    /// The limit of citizens' endpoints: `MOTCUA_PUBLIC_RATE_LIMIT` per minute, or none when 0.
    public static func publicEndpoints(_ configuration: ServiceConfiguration) -> [any Middleware<ServiceRequestContext>]
    {
        configuration.publicRateLimit == 0 ? [] : [RateLimit(limit: configuration.publicRateLimit, per: .seconds(60))]
    }

    public init(limit: Int, per window: Duration) {
        windows = ClientWindows(limit: limit, per: window)
    }

    public func handle(
        _ request: Request, context: ServiceRequestContext,
        next: @Sendable (Request, ServiceRequestContext) async throws -> Response
    ) async throws -> Response {
        if let wait = windows.take(request.clientAddress ?? "unknown", now: context.clock.now) {
            let seconds = Int(wait.rounded(.up))
            var response = ProblemError(
                status: 429, code: "too_many_requests", title: "Quá nhiều yêu cầu",
                detail: "Bạn đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau \(seconds) giây."
            ).response(instance: request.path, requestId: request.requestId)
            response.headers["Retry-After"] = String(seconds)
            return response
        }
        return try await next(request, context)
    }
}
