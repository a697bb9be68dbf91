import HTTP

/// Middleware that lets through only a signed-in staff member holding one of `roles` (any role
/// when empty), and puts the principal in the context.
///
/// The token comes from `Authorization: Bearer` or the HttpOnly session cookie; without one, or
/// with a malformed, altered, expired or foreign one, or (at intake) one of a session that ended,
/// the answer is 401; with a missing role, or (at intake) of a unit that has closed, 403. A
/// cookie-signed-in unsafe request must come from a page of ours and carry the CSRF token. Where
/// sessions are checked (`StaffSessionCheck`), a session cookie whose token expired lately is
/// accepted while its session holds, and the response carries a fresh one; a bearer token never
/// outlives its expiry.
public struct RequireStaff: Middleware {
    public typealias Context = ServiceRequestContext

    /// The name of the session cookie pages sign in with.
    public static let sessionCookie = "motcua_session"

    public let roles: Set<StaffRole>

    public init(_ roles: StaffRole...) { self.roles = Set(roles) }

    public init(roles: some Sequence<StaffRole>) { self.roles = Set(roles) }

    public func handle(
        _ request: Request, context: ServiceRequestContext,
        next: @Sendable (Request, ServiceRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        var renewed: (token: String, cookieMaxAge: Int)?
        if context.principal == nil {
            guard let credential = Self.credential(in: request) else { throw Self.notSignedIn }
            let sessions = context.service.sessionCheck
            let principal: StaffPrincipal
            let expired: Bool
            do {
                // Only a page's cookie, only where the session is checked, may outlive its token.
                if credential.source == .cookie, let sessions {
                    (principal, expired) = try context.service.tokens.verify(
                        credential.token, now: context.clock.now, allowingExpiry: sessions.renewalGrace)
                } else {
                    (principal, expired) = (try context.service.tokens.verify(credential.token, now: context.clock.now), false)
                }
            } catch {
                context.logger.info(
                    "token refused", ["code": .string(error.code.rawValue), "reason": .string(error.reason)])
                throw error
            }
            context.principal = principal
            context.credential = credential
            if credential.source == .cookie { try CSRF.check(request, principal: principal, sessionToken: credential.token) }
            try await sessions?.check(principal, context)
            if expired, let sessions {
                let renewal = try await sessions.renew(principal, context)
                context.principal = renewal.principal
                context.credential = Credential(token: renewal.token, source: .cookie)
                renewed = (renewal.token, renewal.cookieMaxAge)
            }
        }
        try Self.check(context.principal!, holdsAnyOf: roles)
        var response = try await next(request, context)
        if let renewed { response.setCookie(Self.sessionCookie, renewed.token, maxAge: renewed.cookieMaxAge) }
        return response
    }

    /// A 403 problem unless `principal` holds one of `roles` (any role when empty).
    static func check(_ principal: StaffPrincipal, holdsAnyOf roles: Set<StaffRole>) throws(ProblemError) {
        guard roles.isEmpty || principal.hasAny(roles) else {
            throw ProblemError.forbidden(
                code: "role_required",
                detail: "Tài khoản không có vai trò cần thiết: "
                    + roles.map(\.vietnameseName).sorted().joined(separator: ", ") + ".")
        }
    }

    /// The bearer token, else the session cookie.
    public static func credential(in request: Request) -> Credential? {
        if let authorization = request.headers["Authorization"] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                return Credential(token: String(parts[1]).trimmingSpaces, source: .bearer)
            }
        }
        if let cookie = request.cookies[sessionCookie], !cookie.isEmpty {
            return Credential(token: cookie, source: .cookie)
        }
        return nil
    }

    static let notSignedIn = ProblemError(
        status: 401, code: "sign_in_required", title: "Chưa đăng nhập",
        detail: "Vui lòng đăng nhập bằng tài khoản cán bộ để dùng chức năng này.")
}

extension TokenError: HTTPResponseError {
    /// 401 with the token's code and a Vietnamese detail; the reason stays in the log.
    public var problem: ProblemError {
        ProblemError(status: 401, code: code.rawValue, title: "Chưa đăng nhập", detail: detail)
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
