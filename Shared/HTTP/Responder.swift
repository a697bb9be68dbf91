import Observability

/// A router's table, frozen: matches a request to its route and runs the route's context,
/// middleware and handler, turning whatever is thrown into a problem response.
///
/// The server runs it for every request; tests call it in process, with no socket:
/// ```swift
/// let response = await responder.respond(to: Request(method: "GET", path: "/dossiers/H01", requestId: "t1"))
/// ```
public struct Responder: Sendable {
    private let resolver: @Sendable (_ method: String, _ segments: [String]) -> Resolution

    init(resolver: @escaping @Sendable (_ method: String, _ segments: [String]) -> Resolution) {
        self.resolver = resolver
    }

    /// The answer to `request`, as the server would give it (without the `X-Request-Id` header the
    /// server adds): 404 or 405 with `Allow` when no route matches, 413 when the body is over the
    /// route's limit, a problem for any error the chain throws, and for HEAD the GET route's
    /// headers with `Content-Length` and no body.
    public func respond(to request: Request) async -> Response {
        let resolution = resolve(method: request.method, segments: request.path.split(separator: "/").map(String.init))
        if let refused = resolution.refusal(method: request.method, path: request.path, requestId: request.requestId) {
            return refused
        }
        if request.body.count > resolution.body.limit {
            return ProblemError.payloadTooLarge(limit: resolution.body.limit)
                .response(instance: request.path, requestId: request.requestId)
        }
        var response = await resolution.respond(to: request, logger: nil)
        if request.method == "HEAD" {
            response.headers["Content-Length"] = String(response.body.count)
            response.body = []
        }
        return response
    }

    /// Where a request with this method and decoded path segments lands.
    func resolve(method: String, segments: [String]) -> Resolution {
        resolver(method, segments)
    }
}
