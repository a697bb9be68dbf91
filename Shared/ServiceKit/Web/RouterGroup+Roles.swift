import HTTP

extension RouterGroup where Context == ServiceRequestContext {
    /// A GET route only staff holding one of `roles` may call (the group runs `RequireStaff`).
    @discardableResult
    public func get(
        _ pattern: String, roles: Set<StaffRole>, body: RouteBody = .standard,
        _ handler: @escaping Router<Context>.Handler
    ) -> RouterGroup {
        get(pattern, body: body, RoleCheck(roles).wrap(handler))
    }

    /// A POST route only staff holding one of `roles` may call (the group runs `RequireStaff`).
    @discardableResult
    public func post(
        _ pattern: String, roles: Set<StaffRole>, body: RouteBody = .standard,
        _ handler: @escaping Router<Context>.Handler
    ) -> RouterGroup {
        post(pattern, body: body, RoleCheck(roles).wrap(handler))
    }

    /// A PUT route only staff holding one of `roles` may call (the group runs `RequireStaff`).
    @discardableResult
    public func put(
        _ pattern: String, roles: Set<StaffRole>, body: RouteBody = .standard,
        _ handler: @escaping Router<Context>.Handler
    ) -> RouterGroup {
        put(pattern, body: body, RoleCheck(roles).wrap(handler))
    }

    /// A DELETE route only staff holding one of `roles` may call (the group runs `RequireStaff`).
    @discardableResult
    public func delete(
        _ pattern: String, roles: Set<StaffRole>, body: RouteBody = .standard,
        _ handler: @escaping Router<Context>.Handler
    ) -> RouterGroup {
        delete(pattern, body: body, RoleCheck(roles).wrap(handler))
    }
}

/// A route's own role check, inside its group's `RequireStaff`.
private struct RoleCheck {
    let roles: Set<StaffRole>

    init(_ roles: Set<StaffRole>) { self.roles = roles }

    func wrap(_ handler: @escaping Router<ServiceRequestContext>.Handler) -> Router<ServiceRequestContext>.Handler {
        { [roles] request, context in
            try RequireStaff.check(try context.requirePrincipal(), holdsAnyOf: roles)
            return try await handler(request, context)
        }
    }
}
