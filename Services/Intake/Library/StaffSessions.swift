import Foundation
import HTTP
import ServiceKit

/// Intake's check of a staff token on every staff request (ARCHITECTURE §8): the account is not
/// disabled, the token's session (`sid`) is neither signed out, revoked nor past its end, and a
/// unit's staff member's unit is open (registered and not closed, or the deployment's own unit),
/// so a closed unit's tokens stop at once. One read of the staff, session and unit tables; a token
/// naming no session (only a holder of the signing key makes one) is checked for its account alone.
///
/// A page's session cookie whose token expired is renewed while its session holds, for at most
/// `SignInPolicy.idleTimeout` after the token was issued: the pages stay signed in as long as the
/// session (12 hours at most) while they are used, and a page left alone for the idle timeout
/// (at least its 5 minutes less: the cookie is renewed only once its token expired) signs in again.
struct StaffSessions: StaffSessionCheck {
    let signing: TokenSigning
    let policy: SignInPolicy

    /// The idle timeout less the token's lifetime; none without a signing key (nothing to renew with).
    var renewalGrace: Duration {
        guard case .signer(let signer) = signing else { return .zero }
        return max(.zero, policy.idleTimeout - signer.lifetime)
    }

    func check(_ principal: StaffPrincipal, _ context: ServiceRequestContext) async throws {
        let session = principal.session.map(UUID.init(uuidString:))
        if case .some(nil) = session { throw Self.ended }
        let now = context.clock.now
        var unit: String?
        if case .unit(let code) = principal.scope { unit = code }
        let standing = try await context.service.transaction(.allUnits) { tx in
            try await StaffStore.tokenHolds(
                staff: UUID(uuidString: principal.id), session: session ?? nil, hasSession: session != nil, unit: unit,
                now: now, in: tx)
        }
        guard standing.sessionHolds else { throw Self.ended }
        guard let unit,
            let refusal = standing.unit.refusal(of: unit, wardCode: context.service.configuration.wardCode)
        else { return }
        throw ProblemError.forbidden(
            code: refusal.code, detail: refusal.detail + " Tài khoản của đơn vị không còn dùng được.")
    }

    /// A token for the account as it is now (its roles may have changed) in the same session.
    func renew(_ principal: StaffPrincipal, _ context: ServiceRequestContext) async throws
        -> (principal: StaffPrincipal, token: String, cookieMaxAge: Int)
    {
        guard let session = principal.session.flatMap(UUID.init(uuidString:)),
            let staff = UUID(uuidString: principal.id)
        else { throw Self.ended }
        let signer = try signing.signer()
        let account = try await context.service.transaction(.allUnits) { tx in
            try await StaffStore.account(id: staff, in: tx)
        }
        guard let account, account.disabledAt == nil else { throw Self.ended }
        let renewed = account.principal(session: session)
        return (renewed, signer.token(for: renewed, now: context.clock.now), policy.sessionCookieMaxAge)
    }

    static let ended = ProblemError(
        status: 401, code: "session_ended", title: "Chưa đăng nhập",
        detail: "Phiên đăng nhập đã kết thúc (đã đăng xuất hoặc tài khoản bị vô hiệu hoá). Vui lòng đăng nhập lại.")
}
