import Foundation
import HTTP
import Postgres
import ServiceKit

/// Staff sign-in (ARCHITECTURE §8): `POST /api/auth/login`, `refresh` and `logout`.
///
/// A right password gives a short-lived token (bearer, and the HttpOnly session cookie pages
/// use) and a refresh token: a random secret whose SHA-256 alone is stored, in an HttpOnly cookie
/// scoped to `/api/auth` and in the JSON. Each refresh revokes the token it used and gives a new
/// one; logout revokes it. Wrong passwords get one generic answer whether or not the account
/// exists, and the same argon2id work; `SignInPolicy.maxFailures` in a row lock the account.
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

    @Sendable func login(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let credentials = try request.decode(Credentials.self)
        let now = context.clock.now
        let address = request.clientAddress ?? "unknown"
        guard throttle.take(address, now: now) == nil else { throw Self.tooManyAttempts }
        let signer = try signing.signer()
        var errors = FieldErrors()
        let username = (credentials.username ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let password = credentials.password ?? ""
        if username.isEmpty { errors.add(field: "username", code: "required", detail: "Vui lòng nhập tên đăng nhập.") }
        if password.isEmpty { errors.add(field: "password", code: "required", detail: "Vui lòng nhập mật khẩu.") }
        try errors.throwIfAny()

        let found = try await context.transaction(.allUnits) { tx in
            try await StaffStore.account(username: username, in: tx)
        }
        guard let account = found else {
            // The same argon2id work as for a real account: the answer's timing does not tell.
            _ = Self.dummyHash.matches(password)
            throw Self.wrongCredentials
        }
        if let until = account.lockedUntil, until > now { return Self.locked(until: until, request, context) }
        guard account.passwordHash.matches(password) else {
            let lockedUntil = try await context.transaction(.allUnits(writingIn: account.home.unitCode)) { tx in
                let until = try await StaffStore.recordFailure(id: account.id, policy: policy, now: now, in: tx)
                try await tx.audit(
                    actor: .system(consumer: "sign-in"),
                    action: until == nil ? "staff.sign_in_failed" : "staff.locked_out",
                    subject: "staff:\(account.principal.id)", details: ["address": address],
                    requestId: context.requestId)
                return until
            }
            if let lockedUntil { return Self.locked(until: lockedUntil, request, context) }
            throw Self.wrongCredentials
        }
        guard account.disabledAt == nil else { throw Self.disabled }
        let refreshToken = Self.newRefreshToken()
        let refreshExpiresAt = now.addingTimeInterval(TimeInterval(policy.refreshLifetime.components.seconds))
        let signedIn = try await context.transaction(.allUnits(writingIn: account.home.unitCode)) { tx in
            // Locked or disabled between the read and now: no session.
            guard try await StaffStore.recordSuccess(id: account.id, now: now, in: tx) else { return false }
            try await StaffStore.createSession(
                staff: account.id, refreshToken: refreshToken, now: now, expiresAt: refreshExpiresAt, in: tx)
            try await tx.audit(
                actor: .staff(account.principal), action: "staff.signed_in", subject: "staff:\(account.principal.id)",
                details: ["address": address], requestId: context.requestId)
            return true
        }
        guard signedIn else { throw Self.wrongCredentials }
        return try session(
            for: account, signer: signer, refreshToken: refreshToken, refreshExpiresAt: refreshExpiresAt, now: now)
    }

    @Sendable func refresh(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let signer = try signing.signer()
        guard let presented = try Self.refreshToken(in: request) else { throw Self.refreshRefused }
        let now = context.clock.now
        guard
            let home = try await context.transaction(
                .allUnits,
                { tx in
                    try await StaffStore.sessionHome(refreshToken: presented, now: now, in: tx)
                })
        else { throw Self.refreshRefused }
        let refreshToken = Self.newRefreshToken()
        let refreshExpiresAt = now.addingTimeInterval(TimeInterval(policy.refreshLifetime.components.seconds))
        let renewed = try await context.transaction(.allUnits(writingIn: home.unitCode)) { tx -> StaffAccount? in
            // Only one use of a refresh token wins; a disabled account's session just ends.
            guard let staff = try await StaffStore.revokeSession(refreshToken: presented, now: now, in: tx),
                let account = try await StaffStore.account(id: staff, in: tx), account.disabledAt == nil
            else { return nil }
            try await StaffStore.createSession(
                staff: account.id, refreshToken: refreshToken, now: now, expiresAt: refreshExpiresAt, in: tx)
            return account
        }
        guard let account = renewed else { throw Self.refreshRefused }
        return try session(
            for: account, signer: signer, refreshToken: refreshToken, refreshExpiresAt: refreshExpiresAt, now: now)
    }

    @Sendable func logout(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        if let presented = try Self.refreshToken(in: request) {
            let now = context.clock.now
            let home = try await context.transaction(.allUnits) { tx in
                try await StaffStore.sessionHome(refreshToken: presented, now: now, in: tx)
            }
            if let home {
                try await context.transaction(.allUnits(writingIn: home.unitCode)) { tx in
                    guard let staff = try await StaffStore.revokeSession(refreshToken: presented, now: now, in: tx),
                        let account = try await StaffStore.account(id: staff, in: tx)
                    else { return }
                    try await tx.audit(
                        actor: .staff(account.principal), action: "staff.signed_out",
                        subject: "staff:\(account.principal.id)", requestId: context.requestId)
                }
            }
        }
        var response = Response.noContent
        response.setCookie(RequireStaff.sessionCookie, "", maxAge: 0)
        response.setCookie(Self.refreshCookie, "", maxAge: 0, path: Self.refreshCookiePath)
        return response
    }

    /// The token, the refresh token and the account, with their cookies.
    private func session(
        for account: StaffAccount, signer: TokenSigner, refreshToken: String, refreshExpiresAt: Date, now: Date
    ) throws -> Response {
        let lifetime = Int(signer.lifetime.components.seconds)
        let issuedAt = now.timeIntervalSince1970.rounded(.down)
        let body = Session(
            token: signer.token(for: account.principal, now: now),
            expiresAt: Date(timeIntervalSince1970: issuedAt + TimeInterval(lifetime)),
            refreshToken: refreshToken, refreshExpiresAt: refreshExpiresAt, staff: account.member(at: now))
        var response = try Response.json(body)
        response.headers["Cache-Control"] = "no-store"
        response.setCookie(RequireStaff.sessionCookie, body.token, maxAge: lifetime)
        response.setCookie(
            Self.refreshCookie, refreshToken, maxAge: Int(policy.refreshLifetime.components.seconds),
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
        if request.headers["Sec-Fetch-Site"] == "cross-site" {
            throw ProblemError.forbidden(
                code: "cross_site_refused", detail: "Yêu cầu gửi từ trang web khác không được chấp nhận.")
        }
        return cookie
    }

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

    /// 423 with the lock's end in Vietnam time in the detail and as `lockedUntil` (RFC 3339).
    static func locked(until: Date, _ request: Request, _ context: ServiceRequestContext) -> Response {
        let problem = AccountLocked(
            document: ProblemDocument(
                type: "https://motcua.gov.vn/problems/account_locked", title: "Tài khoản tạm khoá", status: 423,
                detail: "Tài khoản tạm khoá do nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau "
                    + SignInPolicy.vietnamese(until) + ".",
                code: "account_locked", instance: request.path, requestId: context.requestId),
            lockedUntil: until)
        // A problem document of strings and a date always encodes.
        var response = try! Response.json(problem, status: 423)
        response.headers["Content-Type"] = "application/problem+json"
        response.headers["Retry-After"] = String(max(1, Int(until.timeIntervalSince(context.clock.now).rounded(.up))))
        return response
    }
}

/// The problem of a locked account: the standard members and `lockedUntil`.
struct AccountLocked: Encodable {
    let document: ProblemDocument
    let lockedUntil: Date

    private enum Key: String, CodingKey { case lockedUntil }

    func encode(to encoder: any Encoder) throws {
        try document.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(lockedUntil, forKey: .lockedUntil)
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
