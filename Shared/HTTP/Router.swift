/// The table of a service's routes, built once at start-up: method, path pattern, handler, and the
/// middleware and body rules that apply to each.
///
/// ```swift
/// let router = Router<AppContext>()
/// router.add(middleware: RequestLogging())                     // every route
/// let staff = router.group("/api/dossiers").add(middleware: RequireStaff())
/// staff.get(":code", showDossier)
/// staff.post(":code/attachments", body: .streaming(limit: 100 << 20), attach)
/// let responder = router.responder { request in AppContext(request) }
/// ```
/// A pattern's segments are literals or `:name` parameters; a literal segment wins over a parameter
/// (`/dossiers/search` before `/dossiers/:code`), and a trailing slash in the request is ignored.
/// Every GET route also answers HEAD. `responder(context:)` freezes the table into the value the
/// server runs and tests call.
public final class Router<Context: Sendable> {
    /// An endpoint: receives the request and its context, answers or throws (any
    /// `HTTPResponseError` chooses its own status).
    public typealias Handler = @Sendable (Request, Context) async throws -> Response

    private(set) var routes: [Route<Context>] = []
    private var middleware: [any Middleware<Context>] = []

    public init() {}

    /// Adds middleware that runs, before any group's, for every route of the router, including
    /// routes registered before this call.
    @discardableResult
    public func add(middleware: some Middleware<Context>) -> Router {
        self.middleware.append(middleware)
        return self
    }

    /// A group whose routes share `prefix` and the middleware later added to the group.
    public func group(_ prefix: String) -> RouterGroup<Context> {
        RouterGroup(router: self, prefix: prefix, middleware: [])
    }

    @discardableResult
    public func get(_ pattern: String, body: RouteBody = .standard, _ handler: @escaping Handler) -> Router {
        add("GET", pattern, body: body, handler)
    }

    @discardableResult
    public func post(_ pattern: String, body: RouteBody = .standard, _ handler: @escaping Handler) -> Router {
        add("POST", pattern, body: body, handler)
    }

    @discardableResult
    public func put(_ pattern: String, body: RouteBody = .standard, _ handler: @escaping Handler) -> Router {
        add("PUT", pattern, body: body, handler)
    }

    @discardableResult
    public func patch(_ pattern: String, body: RouteBody = .standard, _ handler: @escaping Handler) -> Router {
        add("PATCH", pattern, body: body, handler)
    }

    @discardableResult
    public func delete(_ pattern: String, body: RouteBody = .standard, _ handler: @escaping Handler) -> Router {
        add("DELETE", pattern, body: body, handler)
    }

    /// Adds a route for any method; registering the same method and pattern shape twice is a
    /// programming error and stops the process at start-up.
    @discardableResult
    public func add(_ method: String, _ pattern: String, body: RouteBody = .standard, _ handler: @escaping Handler)
        -> Router
    {
        register(method, pattern, body: body, middleware: [], handler)
        return self
    }

    /// The frozen table as the value a server runs and a test calls; `context` makes each matched
    /// request's context before the middleware chain runs.
    public func responder(context: @escaping @Sendable (Request) -> Context) -> Responder {
        let global = middleware
        let table = RouteTable(
            routes: routes.map { route in
                let handler = global.chained(around: route.handler)
                return route.with(handler: handler)
            })
        return Responder(resolver: { method, segments in
            table.resolve(method: method, segments: segments, context: context)
        })
    }

    /// Adds a route whose handler is already wrapped by a group's `middleware`.
    func register(
        _ method: String, _ pattern: String, body: RouteBody, middleware: [any Middleware<Context>],
        _ handler: @escaping Handler
    ) {
        precondition(pattern.hasPrefix("/"), "route pattern \(pattern) must start with /")
        let segments = pattern.split(separator: "/").map { part -> Route<Context>.Segment in
            part.hasPrefix(":") ? .parameter(String(part.dropFirst())) : .literal(String(part))
        }
        precondition(
            !routes.contains { $0.method == method && Route<Context>.sameShape($0.segments, segments) },
            "route \(method) \(pattern) is registered twice")
        routes.append(
            Route(
                method: method, pattern: pattern, segments: segments, body: body,
                handler: middleware.chained(around: handler)))
    }
}
