import HTTP

/// Middleware for creating POSTs: a request with an `Idempotency-Key` header is answered once;
/// a repeat with the same key and the same request gets the first answer again (with
/// `Idempotent-Replayed: true`), a repeat with another request a 422.
///
/// The key, the creation and the stored answer commit in one transaction, which the handler's
/// `context.transaction` joins; concurrent repeats wait for it. A request without the header is
/// handled as usual. Put it after `RequireStaff`: keys belong to the caller.
public struct Idempotency: Middleware {
    public typealias Context = ServiceRequestContext

    /// How long a key is remembered.
    public let lifetime: Duration

    public init(lifetime: Duration = .seconds(24 * 3600)) { self.lifetime = lifetime }

    public func handle(
        _ request: Request, context: ServiceRequestContext,
        next: @Sendable (Request, ServiceRequestContext) async throws -> Response
    ) async throws -> Response {
        guard request.method == "POST", let key = request.headers["Idempotency-Key"] else {
            return try await next(request, context)
        }
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw ProblemError.badRequest(
                code: "invalid_idempotency_key",
                detail: "Idempotency-Key phải gồm 1 đến 255 ký tự ASCII nhìn thấy được, không có khoảng trắng.")
        }
        let caller = context.principal.map { "staff:" + $0.id } ?? "public:" + (request.clientAddress ?? "unknown")
        return try await context.service.pool.transaction { tx in
            switch try await IdempotencyStore.claim(
                caller: caller, key: key, request: request, now: context.clock.now, lifetime: lifetime, in: tx)
            {
            case .replay(let response):
                return response
            case .mismatch:
                throw ProblemError.unprocessable(
                    code: "idempotency_key_reused",
                    detail: "Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác; hãy dùng khóa mới.")
            case .first:
                var joined = context
                joined.ambient = tx
                let response = try await next(request, joined)
                if response.status < 500 {
                    try await IdempotencyStore.record(response, caller: caller, key: key, in: tx)
                }
                return response
            }
        }
    }
}
