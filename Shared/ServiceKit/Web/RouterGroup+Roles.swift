import HTTP

extension RouterGroup where Context == ServiceRequestContext {
    /// A GET route only staff holding one of `roles` may call (the group runs `RequireStaff`).
    @discardableResult
    public func get(
        _ pattern: String, roles: Set<StaffRole>, body: RouteBody = .standard, _ handler: @escaping Router<Context>.Handler
    ) -> RouterGroup {
        add("GET", pattern, roles: roles, body: body, handler)
    }

    /// A POST route only staff holding one of `roles` may call (the group runs `RequireStaff`).
    @discardableResult
    public func post(
        _ pattern: String, roles: Set<StaffRole>, body: RouteBody = .standard, _ handler: @escaping Router<Context>.Handler
    ) -> RouterGroup {
        add("POST", pattern, roles: roles, body: body, handler)
    }

    /// A route for `method` only staff holding one of `roles` may call: the route's own role check,
    /// inside its group's `RequireStaff`.
    @discardableResult
    public func add(
        _ method: String, _ pattern: String, roles: Set<StaffRole>, body: RouteBody = .standard,
        _ handler: @escaping Router<Context>.Handler
    ) -> RouterGroup {
        add(method, pattern, body: body) { request, context in
            try RequireStaff.check(try context.requirePrincipal(), holdsAnyOf: roles)
            return try await handler(request, context)
        }
    }
}
