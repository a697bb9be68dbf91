/// Routes that share a path prefix and middleware, registered into their `Router`.
///
/// A group is a value: `add(middleware:)` returns a group with one more step, which applies to the
/// routes registered through that value. Nested groups join their prefixes and run the outer
/// group's middleware first.
public struct RouterGroup<Context: Sendable> {
    private let router: Router<Context>
    private let prefix: String
    private let middleware: [any Middleware<Context>]

    init(router: Router<Context>, prefix: String, middleware: [any Middleware<Context>]) {
        self.router = router
        self.prefix = prefix
        self.middleware = middleware
    }

    /// This group with `middleware` added after the ones it already runs.
    public func add(middleware: some Middleware<Context>) -> RouterGroup {
        RouterGroup(router: router, prefix: prefix, middleware: self.middleware + [middleware])
    }

    /// A group inside this one: `prefix` is appended to this group's, the middleware is inherited.
    public func group(_ prefix: String) -> RouterGroup {
        RouterGroup(router: router, prefix: Self.join(self.prefix, prefix), middleware: middleware)
    }

    @discardableResult
    public func get(_ pattern: String, body: RouteBody = .standard, _ handler: @escaping Router<Context>.Handler)
        -> RouterGroup
    {
        add("GET", pattern, body: body, handler)
    }

    @discardableResult
    public func post(_ pattern: String, body: RouteBody = .standard, _ handler: @escaping Router<Context>.Handler)
        -> RouterGroup
    {
        add("POST", pattern, body: body, handler)
    }

    @discardableResult
    public func put(_ pattern: String, body: RouteBody = .standard, _ handler: @escaping Router<Context>.Handler)
        -> RouterGroup
    {
        add("PUT", pattern, body: body, handler)
    }

    @discardableResult
    public func patch(_ pattern: String, body: RouteBody = .standard, _ handler: @escaping Router<Context>.Handler)
        -> RouterGroup
    {
        add("PATCH", pattern, body: body, handler)
    }

    @discardableResult
    public func delete(_ pattern: String, body: RouteBody = .standard, _ handler: @escaping Router<Context>.Handler)
        -> RouterGroup
    {
        add("DELETE", pattern, body: body, handler)
    }

    /// Adds a route at the group's prefix joined with `pattern` ("" is the prefix itself).
    @discardableResult
    public func add(
        _ method: String, _ pattern: String, body: RouteBody = .standard,
        _ handler: @escaping Router<Context>.Handler
    ) -> RouterGroup {
        router.register(method, Self.join(prefix, pattern), body: body, middleware: middleware, handler)
        return self
    }

    /// `/a` + `b`, `/a/` + `/b` and `a` + `b/` all give `/a/b`.
    private static func join(_ prefix: String, _ pattern: String) -> String {
        let parts = (prefix.split(separator: "/") + pattern.split(separator: "/")).joined(separator: "/")
        return "/" + parts
    }
}
