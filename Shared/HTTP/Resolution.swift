import Observability

/// Where a request lands, known from its method and path alone (before its body is read).
struct Resolution: Sendable {
    enum Outcome: Sendable {
        /// A route: its pattern, its bound parameters and its whole chain (context, middleware, handler).
        case found(pattern: String, parameters: [String: String], run: @Sendable (Request) async throws -> Response)
        /// The path exists for other methods, listed for the `Allow` header.
        case methodNotAllowed(allowed: [String])
        case notFound
    }

    let outcome: Outcome
    /// How the route takes its body; unmatched requests are answered before any body is read.
    var body: RouteBody = .standard

    /// The route's pattern, or `unmatched` when the request reached no handler.
    var routeLabel: String {
        if case .found(let pattern, _, _) = outcome { return pattern }
        return HTTPMetrics.unmatchedRoute
    }

    /// The bound path parameters (none when unmatched).
    var parameters: [String: String] {
        if case .found(_, let parameters, _) = outcome { return parameters }
        return [:]
    }

    /// The problem answering a request that reached no route (404, or 405 with `Allow`), or nil for a matched one.
    func refusal(method: String, path: String, requestId: String) -> Response? {
        switch outcome {
        case .found:
            return nil
        case .notFound:
            return ProblemError.routeNotFound(path: path).response(instance: path, requestId: requestId)
        case .methodNotAllowed(let allowed):
            var response = ProblemError.methodNotAllowed(method: method, path: path)
                .response(instance: path, requestId: requestId)
            response.headers["Allow"] = allowed.joined(separator: ", ")
            return response
        }
    }

    /// Runs the matched route's chain for `request`; an error becomes its problem, and anything
    /// that is not an `HTTPResponseError` a 500 that carries only the request id (the log line, when
    /// there is a `logger`, carries the error).
    func respond(to request: Request, logger: Logger?) async -> Response {
        if let refused = refusal(method: request.method, path: request.path, requestId: request.requestId) {
            return refused
        }
        guard case .found(let pattern, let parameters, let chain) = outcome else {
            preconditionFailure("a resolution that is not refused has a route")
        }
        var request = request
        request.parameters = parameters
        do {
            try TextInput.check(request.query.all + parameters.map { ($0.key, $0.value) })
            return try await chain(request)
        } catch let error as any HTTPResponseError {
            return error.problem.response(instance: request.path, requestId: request.requestId)
        } catch {
            logger?.error(
                "handler failed",
                [
                    "requestId": .string(request.requestId), "method": .string(request.method),
                    "route": .string(pattern), "error": .string(String(describing: error)),
                ])
            return ProblemError.internalError(requestId: request.requestId)
                .response(instance: request.path, requestId: request.requestId)
        }
    }
}
