/// The table of a service's routes: method, path pattern and async handler.
///
/// ```swift
/// var router = Router()
/// router.get("/dossiers/:code", showDossier)
/// router.post("/dossiers/:code/supplements", requestSupplement)
/// ```
/// A pattern's segments are literals or `:name` parameters; a literal segment wins over a parameter
/// (`/dossiers/search` before `/dossiers/:code`), and a trailing slash in the request is ignored.
public struct Router: Sendable {
    /// An endpoint: receives the request, answers or throws (a `ProblemError` to choose the status).
    public typealias Handler = @Sendable (Request) async throws -> Response

    /// One row of the table.
    struct Route: Sendable {
        let method: String
        /// The pattern as written, which labels the route in metrics and logs.
        let pattern: String
        let segments: [Segment]
        let handler: Handler
    }

    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    /// Where a request lands.
    enum Match: Sendable {
        case found(Route, parameters: [String: String])
        /// The path exists for other methods, listed for the `Allow` header.
        case methodNotAllowed(allowed: [String])
        case notFound
    }

    private(set) var routes: [Route] = []

    public init() {}

    public mutating func get(_ pattern: String, _ handler: @escaping Handler) { add("GET", pattern, handler) }
    public mutating func post(_ pattern: String, _ handler: @escaping Handler) { add("POST", pattern, handler) }
    public mutating func put(_ pattern: String, _ handler: @escaping Handler) { add("PUT", pattern, handler) }
    public mutating func patch(_ pattern: String, _ handler: @escaping Handler) { add("PATCH", pattern, handler) }
    public mutating func delete(_ pattern: String, _ handler: @escaping Handler) { add("DELETE", pattern, handler) }

    /// Adds a route for any method; registering the same method and pattern shape twice is a
    /// programming error and stops the process at start-up.
    public mutating func add(_ method: String, _ pattern: String, _ handler: @escaping Handler) {
        precondition(pattern.hasPrefix("/"), "route pattern \(pattern) must start with /")
        let segments = pattern.split(separator: "/").map { part -> Segment in
            part.hasPrefix(":") ? .parameter(String(part.dropFirst())) : .literal(String(part))
        }
        precondition(
            !routes.contains { $0.method == method && Self.sameShape($0.segments, segments) },
            "route \(method) \(pattern) is registered twice")
        routes.append(Route(method: method, pattern: pattern, segments: segments, handler: handler))
    }

    /// The most specific route for `method` whose pattern matches the decoded path `segments`.
    func match(method: String, segments: [String]) -> Match {
        var best: (route: Route, parameters: [String: String])?
        var allowed: [String] = []
        for route in routes {
            guard let parameters = Self.bind(route.segments, to: segments) else { continue }
            if route.method != method {
                if !allowed.contains(route.method) { allowed.append(route.method) }
                continue
            }
            if let current = best, !Self.isMoreSpecific(route.segments, than: current.route.segments) { continue }
            best = (route, parameters)
        }
        if let best { return .found(best.route, parameters: best.parameters) }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: allowed)
    }

    private static func bind(_ pattern: [Segment], to segments: [String]) -> [String: String]? {
        guard pattern.count == segments.count else { return nil }
        var parameters: [String: String] = [:]
        for (expected, actual) in zip(pattern, segments) {
            switch expected {
            case .literal(let text): guard text == actual else { return nil }
            case .parameter(let name): parameters[name] = actual
            }
        }
        return parameters
    }

    /// True when `a` has a literal where `b` first has a parameter.
    private static func isMoreSpecific(_ a: [Segment], than b: [Segment]) -> Bool {
        for (left, right) in zip(a, b) {
            switch (left, right) {
            case (.literal, .parameter): return true
            case (.parameter, .literal): return false
            default: continue
            }
        }
        return false
    }

    private static func sameShape(_ a: [Segment], _ b: [Segment]) -> Bool {
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
