/// One row of a router's table: method, pattern, body rule and the handler with its middleware.
struct Route<Context: Sendable>: Sendable {
    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    let method: String
    /// The pattern as written, which labels the route in metrics and logs.
    let pattern: String
    let segments: [Segment]
    let body: RouteBody
    let handler: Router<Context>.Handler

    /// The same route answered by `handler`.
    func with(handler: @escaping Router<Context>.Handler) -> Route {
        Route(method: method, pattern: pattern, segments: segments, body: body, handler: handler)
    }

    /// The parameters bound when `segments` (decoded path segments) fit the pattern.
    func bind(_ path: [String]) -> [String: String]? {
        guard segments.count == path.count else { return nil }
        var parameters: [String: String] = [:]
        for (expected, actual) in zip(segments, path) {
            switch expected {
            case .literal(let text): guard text == actual else { return nil }
            case .parameter(let name): parameters[name] = actual
            }
        }
        return parameters
    }

    /// True when this pattern has a literal where `other` first has a parameter.
    func isMoreSpecific(than other: Route) -> Bool {
        for (left, right) in zip(segments, other.segments) {
            switch (left, right) {
            case (.literal, .parameter): return true
            case (.parameter, .literal): return false
            default: continue
            }
        }
        return false
    }

    static func sameShape(_ a: [Segment], _ b: [Segment]) -> Bool {
        a.count == b.count
            && zip(a, b).allSatisfy { left, right in
                switch (left, right) {
                case (.literal(let x), .literal(let y)): x == y
                case (.parameter, .parameter): true
                default: false
                }
            }
    }
}

/// A frozen route table: finds where a request lands.
struct RouteTable<Context: Sendable>: Sendable {
    let routes: [Route<Context>]

    /// Where a request lands.
    enum Match {
        case found(Route<Context>, parameters: [String: String])
        /// The path exists for other methods, listed for the `Allow` header.
        case methodNotAllowed(allowed: [String])
        case notFound
    }

    /// The most specific route for `method` whose pattern matches the decoded path `segments`;
    /// HEAD falls back to the GET route when no HEAD route was declared.
    func match(method: String, segments: [String]) -> Match {
        var best: (route: Route<Context>, parameters: [String: String])?
        var fallback: (route: Route<Context>, parameters: [String: String])?
        var allowed: [String] = []
        for route in routes {
            guard let parameters = route.bind(segments) else { continue }
            if route.method == method {
                if let current = best, !route.isMoreSpecific(than: current.route) { continue }
                best = (route, parameters)
            } else {
                if !allowed.contains(route.method) { allowed.append(route.method) }
                if method == "HEAD", route.method == "GET",
                    fallback.map({ route.isMoreSpecific(than: $0.route) }) ?? true
                {
                    fallback = (route, parameters)
                }
            }
        }
        if let found = best ?? fallback { return .found(found.route, parameters: found.parameters) }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: allowed)
    }

    /// The match as the type-erased resolution a `Responder` works with.
    func resolve(method: String, segments: [String], context: @escaping @Sendable (Request) -> Context) -> Resolution {
        switch match(method: method, segments: segments) {
        case .notFound:
            return Resolution(outcome: .notFound)
        case .methodNotAllowed(let allowed):
            return Resolution(outcome: .methodNotAllowed(allowed: allowed))
        case .found(let route, let parameters):
            let handler = route.handler
            return Resolution(
                outcome: .found(pattern: route.pattern, parameters: parameters) { request in
                    try await handler(request, context(request))
                },
                body: route.body)
        }
    }
}
