/// A step every request of a route passes through before its handler: it may read or change the
/// request and the context, answer by itself (a missing sign-in), or call `next` and adjust the answer.
///
/// ```swift
/// struct RequireHeader: Middleware {
///     func handle(_ request: Request, context: AppContext, next: …) async throws -> Response {
///         guard request.headers["X-Ward-Code"] != nil else { throw ProblemError.forbidden(…) }
///         return try await next(request, context)
///     }
/// }
/// ```
public protocol Middleware<Context>: Sendable {
    /// The request context the routes it guards receive.
    associatedtype Context: Sendable
    /// Answers `request`, usually by calling `next` (later middleware, then the handler) with the
    /// request and a context, possibly a new one.
    func handle(
        _ request: Request, context: Context, next: @Sendable (Request, Context) async throws -> Response
    ) async throws -> Response
}

/// Middleware written as a closure, for steps too small to deserve a type.
public struct MiddlewareClosure<Context: Sendable>: Middleware {
    /// The rest of the chain a closure receives.
    public typealias Next = @Sendable (Request, Context) async throws -> Response

    private let body: @Sendable (Request, Context, Next) async throws -> Response

    /// Middleware that runs `body` with the request, the context and the rest of the chain.
    public init(_ body: @escaping @Sendable (Request, Context, Next) async throws -> Response) {
        self.body = body
    }

    public func handle(
        _ request: Request, context: Context, next: @Sendable (Request, Context) async throws -> Response
    ) async throws -> Response {
        try await body(request, context, next)
    }
}

extension Array {
    /// `handler` wrapped by these middleware, the first one outermost.
    func chained<Context: Sendable>(
        around handler: @escaping @Sendable (Request, Context) async throws -> Response
    ) -> @Sendable (Request, Context) async throws -> Response where Element == any Middleware<Context> {
        reversed().reduce(handler) { next, middleware in
            { request, context in try await middleware.handle(request, context: context, next: next) }
        }
    }
}
