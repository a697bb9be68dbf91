import Foundation
import HTTP
import Postgres
import ServiceKit

/// Staff sign-in (ARCHITECTURE §8): `POST /api/auth/login`, `refresh` and `logout`.
///
/// A right password opens a session (at most `SignInPolicy.sessionLifetime`, whatever the
/// refreshes) and gives a short-lived token naming it (bearer, and the HttpOnly session cookie
/// pages use) and a refresh token: a random secret whose SHA-256 alone is stored, in an HttpOnly
/// cookie scoped to `/api/auth` and in the JSON. Each refresh uses its token up and gives a new one
/// of the same session; a used one presented again revokes the whole session (RFC 6819
/// §5.2.2.3). Logout revokes the session; intake refuses a revoked session's token at once
/// (`StaffSessions`), the other services when it expires (5 minutes).
///
/// Wrong passwords get one generic answer whether or not the account exists, with the same
/// argon2id work; `SignInPolicy.maxFailures` in a row for one username from one address make
/// that pair wait (a back-off that doubles and expires), and `accountCeiling` from all addresses
/// slow every address for a while — the same for unknown usernames, so the waits tell nothing.
struct SignIn: Sendable {
    let signing: TokenSigning
    let policy: SignInPolicy
    /// Attempts per client address (`SignInPolicy.attemptsPerAddress` per `attemptWindow`).
    let throttle: ClientWindows

    /// The cookie holding the refresh token; sent only to `/api/auth`.
    static let refreshCookie = "motcua_refresh"
    static let refreshCookiePath = "/api/auth"

    func addRoutes(to router: Router<ServiceRequestContext>) {
        let auth = router.group("/api/auth")
        auth.post("login", login)
        auth.post("refresh", refresh)
        auth.post("logout", logout)
    }

    struct Credentials: Decodable {
        var username: String?
        var password: String?
    }

    struct RefreshRequest: Decodable {
        var refreshToken: String?
    }

    /// What a sign-in or a refresh answers.
    struct Session: Encodable {
        var token: String
        var expiresAt: Date
        var refreshToken: String
        var refreshExpiresAt: Date
        var staff: StaffMember
    }

    /// `POST /api/auth/login`: the credentials as JSON only (a form is what another site's page
    /// could make a browser send).
    @Sendable func login(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let credentials = try request.decode(Credentials.self)
        return try await signIn(
            username: credentials.username, password: credentials.password, client: Self.client(of: request),
            context)
    }

    /// The client address every limit and audit record of sign-in uses.
    static func client(of request: Request) -> String { request.clientAddress ?? "unknown" }

    /// Checks `password` for `username` and opens a session: the JSON endpoint's and the sign-in page's work.
    func signIn(username: String?, password: String?, client: String, _ context: ServiceRequestContext)
        async throws -> Response
    {
        let now = context.clock.now
        guard throttle.take(client, now: now) == nil else { throw Self.tooManyAttempts }
        let signer = try signing.signer()
        var errors = FieldErrors()
        let username = (username ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let password = password ?? ""
        if username.isEmpty { errors.add(field: "username", code: "required", detail: "Vui lòng nhập tên đăng nhập.") }
        if password.isEmpty { errors.add(field: "password", code: "required", detail: "Vui lòng nhập mật khẩu.") }
        try errors.throwIfAny()

        let (blocked, found) = try await context.transaction(.allUnits) { tx in
            (
                try await StaffStore.blockedUntil(username: username, client: client, now: now, in: tx),
                try await StaffStore.account(username: username, in: tx)
            )
        }
        if let blocked { return Self.waiting(until: blocked, context) }
        // The same argon2id work whether or not the account exists: the timing does not tell.
        guard await (found?.passwordHash ?? Self.dummyHash).verify(password), let account = found else {
            let unit = found?.home.unitCode ?? context.service.configuration.wardCode
            try await context.transaction(.allUnits(writingIn: unit)) { tx in
                try await StaffStore.recordFailure(username: username, client: client, policy: policy, now: now, in: tx)
                if let found {
                    try await tx.audit(
                        actor: .system(consumer: "sign-in"), action: "staff.sign_in_failed",
                        subject: "staff:\(found.principal.id)", details: ["address": client],
                        requestId: context.requestId)
                }
            }
            throw Self.wrongCredentials
        }
        guard account.disabledAt == nil else { throw Self.disabled }
        let refreshToken = Self.newRefreshToken()
        let sessionEnd = now.addingTimeInterval(Self.seconds(policy.sessionLifetime))
        let refreshExpiresAt = min(now.addingTimeInterval(Self.seconds(policy.refreshLifetime)), sessionEnd)
        let session = try await context.transaction(.allUnits(writingIn: account.home.unitCode)) { tx -> UUID? in
            // Disabled between the read and now: no session.
            guard try await StaffStore.account(id: account.id, lock: true, in: tx)?.disabledAt == nil else { return nil }
            try await StaffStore.clearFailures(username: username, client: client, in: tx)
            let session = try await StaffStore.openSession(staff: account.id, now: now, expiresAt: sessionEnd, in: tx)
            try await StaffStore.issueRefreshToken(
                refreshToken, session: session, now: now, expiresAt: refreshExpiresAt, in: tx)
            try await tx.audit(
                actor: .staff(account.principal), action: "staff.signed_in", subject: "staff:\(account.principal.id)",
                details: ["address": client], requestId: context.requestId)
            return session
        }
        guard let session else { throw Self.disabled }
        return try self.session(
            session, for: account, signer: signer, refreshToken: refreshToken, refreshExpiresAt: refreshExpiresAt,
            now: now)
    }

    /// What a refresh token presented for a refresh comes to.
    private enum Renewal {
        case renewed(StaffAccount, session: UUID)
        case refused
    }

    @Sendable func refresh(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let signer = try signing.signer()
        guard let presented = try Self.refreshToken(in: request) else { throw Self.refreshRefused }
        let now = context.clock.now
        guard
            let use = try await context.transaction(
                .allUnits, { tx in try await StaffStore.refreshTokenUse(presented, now: now, in: tx) })
        else { throw Self.refreshRefused }
        let refreshToken = Self.newRefreshToken()
        let refreshExpiresAt = min(
            now.addingTimeInterval(Self.seconds(policy.refreshLifetime)), use.sessionExpiresAt)
        let renewal = try await context.transaction(.allUnits(writingIn: use.home.unitCode)) { tx -> Renewal in
            guard use.live else { return .refused }
            // A used token again, or two uses at once: a copy is about; the whole session ends.
            guard !use.used, try await StaffStore.useRefreshToken(presented, now: now, in: tx) else {
                if try await StaffStore.revokeSession(id: use.session, reason: "refresh_token_reused", now: now, in: tx)
                    != nil
                {
                    try await tx.audit(
                        actor: .system(consumer: "sign-in"), action: "staff.refresh_token_reused",
                        subject: "staff:\(use.staff.uuidString.lowercased())",
                        details: ["address": Self.client(of: request)], requestId: context.requestId)
                }
                return .refused
            }
            guard let account = try await StaffStore.account(id: use.staff, in: tx), account.disabledAt == nil else {
                return .refused
            }
            try await StaffStore.issueRefreshToken(
                refreshToken, session: use.session, now: now, expiresAt: refreshExpiresAt, in: tx)
            return .renewed(account, session: use.session)
        }
        guard case .renewed(let account, let session) = renewal else { throw Self.refreshRefused }
        return try self.session(
            session, for: account, signer: signer, refreshToken: refreshToken, refreshExpiresAt: refreshExpiresAt,
            now: now)
    }

    /// Ends the session a refresh token in the JSON body names, else the one the bearer token or
    /// the cookies name: cookies only from a page of ours (`Sec-Fetch-Site`/`Origin`) with the
    /// form token of the session cookie, as any cookie-signed-in post.
    @Sendable func logout(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let now = context.clock.now
        var sessions: [UUID] = []
        if !request.body.isEmpty, let token = try request.decode(RefreshRequest.self).refreshToken, !token.isEmpty {
            try await sessions.append(contentsOf: refreshSession(token, now: now, context))
        } else {
            let credential = RequireStaff.credential(in: request)
            let refreshCookie = request.cookies[Self.refreshCookie].flatMap { $0.isEmpty ? nil : $0 }
            if credential?.source == .cookie || (credential == nil && refreshCookie != nil) {
                try CSRF.requireSameOrigin(request)
            }
            if let credential {
                // An expired token's session still ends (beyond the session's lifetime, by its
                // refresh cookie, if any); an altered one is refused.
                switch Result(catching: { () throws(TokenError) in
                    try context.service.tokens.verify(credential.token, now: now, allowingExpiry: policy.sessionLifetime)
                }) {
                case .success(let (principal, _)):
                    if credential.source == .cookie {
                        try CSRF.check(request, principal: principal, sessionToken: credential.token)
                    }
                    if let session = principal.session.flatMap(UUID.init(uuidString:)) { sessions.append(session) }
                case .failure(let error) where error.code == .expired: break
                case .failure(let error): throw error
                }
            }
            if let refreshCookie { try await sessions.append(contentsOf: refreshSession(refreshCookie, now: now, context)) }
        }
        for session in Set(sessions) { try await end(session, now: now, context) }
        var response = Response.noContent
        response.setCookie(RequireStaff.sessionCookie, "", maxAge: 0)
        response.setCookie(Self.refreshCookie, "", maxAge: 0, path: Self.refreshCookiePath)
        return response
    }

    /// The session of refresh token `token`, used or not.
    private func refreshSession(_ token: String, now: Date, _ context: ServiceRequestContext) async throws -> [UUID] {
        try await context.transaction(.allUnits) { tx in
            try await StaffStore.refreshTokenUse(token, now: now, in: tx).map { [$0.session] } ?? []
        }
    }

    /// Revokes `session` (a sign-out) and audits it, in the account's unit.
    private func end(_ session: UUID, now: Date, _ context: ServiceRequestContext) async throws {
        let home = try await context.transaction(.allUnits) { tx in
            try await tx.query("SELECT unit_code FROM staff_sessions WHERE id = $1", [session]).first.map {
                StaffHome(unitCode: try $0.decode(String.self, at: 0))
            }
        }
        guard let home else { return }
        try await context.transaction(.allUnits(writingIn: home.unitCode)) { tx in
            guard let staff = try await StaffStore.revokeSession(id: session, reason: "signed_out", now: now, in: tx),
                let account = try await StaffStore.account(id: staff, in: tx)
            else { return }
            try await tx.audit(
                actor: .staff(account.principal), action: "staff.signed_out",
                subject: "staff:\(account.principal.id)", requestId: context.requestId)
        }
    }

    /// The token, the refresh token and the account, with their cookies.
    private func session(
        _ session: UUID, for account: StaffAccount, signer: TokenSigner, refreshToken: String, refreshExpiresAt: Date,
        now: Date
    ) throws -> Response {
        let lifetime = Int(signer.lifetime.components.seconds)
        let issuedAt = now.timeIntervalSince1970.rounded(.down)
        let body = Session(
            token: signer.token(for: account.principal(session: session), now: now),
            expiresAt: Date(timeIntervalSince1970: issuedAt + TimeInterval(lifetime)),
            refreshToken: refreshToken, refreshExpiresAt: refreshExpiresAt, staff: account.member(at: now))
        var response = try Response.json(body)
        response.headers["Cache-Control"] = "no-store"
        // The cookie outlives its token: intake renews it while the session is used (`StaffSessions`).
        response.setCookie(RequireStaff.sessionCookie, body.token, maxAge: policy.sessionCookieMaxAge)
        response.setCookie(
            Self.refreshCookie, refreshToken, maxAge: Int(refreshExpiresAt.timeIntervalSince(now).rounded(.up)),
            path: Self.refreshCookiePath)
        return response
    }

    /// The refresh token of the JSON body, else of the cookie; a cookie sent by a page of
    /// another site is refused (SameSite=Strict stops browsers that honour it; this, the others).
    private static func refreshToken(in request: Request) throws -> String? {
        if !request.body.isEmpty, let token = try request.decode(RefreshRequest.self).refreshToken, !token.isEmpty {
            return token
        }
        guard let cookie = request.cookies[refreshCookie], !cookie.isEmpty else { return nil }
        try CSRF.requireSameOrigin(request)
        return cookie
    }

    private static func seconds(_ duration: Duration) -> TimeInterval { TimeInterval(duration.components.seconds) }

    /// 32 random bytes from the system's cryptographic generator, base64url.
    private static func newRefreshToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Base64URL.encode(bytes)
    }

    /// A hash of no one's password, checked when the username is unknown.
    private static let dummyHash = PasswordHash(hashing: UUID().uuidString)

    static let wrongCredentials = ProblemError(
        status: 401, code: "invalid_credentials", title: "Đăng nhập không thành công",
        detail: "Tên đăng nhập hoặc mật khẩu không đúng.")

    static let disabled = ProblemError.forbidden(
        code: "account_disabled", detail: "Tài khoản đã bị vô hiệu hoá. Vui lòng liên hệ quản trị viên.")

    static let refreshRefused = ProblemError(
        status: 401, code: "refresh_token_invalid", title: "Phiên đăng nhập đã hết",
        detail: "Phiên đăng nhập đã hết hạn hoặc đã kết thúc. Vui lòng đăng nhập lại.")

    static let tooManyAttempts = ProblemError(
        status: 429, code: "too_many_attempts", title: "Quá nhiều lần thử",
        detail: "Có quá nhiều lần đăng nhập từ địa chỉ này. Vui lòng thử lại sau ít phút.")

    /// 429 for a username waiting after wrong passwords, saying until when (Vietnam time) and
    /// `Retry-After`; the same whether or not the account exists.
    static func waiting(until: Date, _ context: ServiceRequestContext) -> Response {
        let problem = ProblemError(
            status: 429, code: "too_many_attempts", title: "Quá nhiều lần thử",
            detail: "Đăng nhập tạm dừng do nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau "
                + SignInPolicy.vietnamese(until) + ".")
        var response = problem.response(instance: "/api/auth/login", requestId: context.requestId)
        response.headers["Retry-After"] = String(max(1, Int(until.timeIntervalSince(context.clock.now).rounded(.up))))
        return response
    }
}

/// The key intake signs staff tokens with, or why it has none: then sign-in answers 503 while
/// the rest of the service works (tokens from another intake still verify).
public enum TokenSigning: Sendable {
    case signer(TokenSigner)
    case unavailable(reason: String)

    /// The signer, or a 503 problem.
    func signer() throws(ProblemError) -> TokenSigner {
        switch self {
        case .signer(let signer): return signer
        case .unavailable:
            throw .serviceUnavailable(
                code: "sign_in_unavailable",
                detail: "Chức năng đăng nhập chưa được cấu hình (thiếu khoá ký). Vui lòng báo quản trị viên.")
        }
    }
}
