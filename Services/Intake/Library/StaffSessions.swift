import Foundation
import HTTP
import ServiceKit

/// Intake's check of a staff token on every staff request (ARCHITECTURE §8): the account is not
/// disabled, the token's session (`sid`) is neither signed out, revoked nor past its end, and a
/// unit's staff member's unit is open (registered and not closed, or the deployment's own unit),
/// so a closed unit's tokens stop at once. One read of the staff, session and unit tables; a token
/// naming no session (only a holder of the signing key makes one) is checked for its account alone.
struct StaffSessions: StaffSessionCheck {
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
        guard let unit else { return }
        switch standing.unit {
        case .open: return
        case .unregistered where unit == context.service.configuration.wardCode: return
        case .unregistered: throw UnitStore.refusal(.unitNotFound(unit), as: Self.unitRefused)
        case .closed: throw UnitStore.refusal(.unitClosed(unit), as: Self.unitRefused)
        }
    }

    /// A unit's staff member refused because of the unit's state.
    private static func unitRefused(_ code: String, _ detail: String) -> ProblemError {
        .forbidden(code: code, detail: detail + " Tài khoản của đơn vị không còn dùng được.")
    }

    static let ended = ProblemError(
        status: 401, code: "session_ended", title: "Chưa đăng nhập",
        detail: "Phiên đăng nhập đã kết thúc (đã đăng xuất hoặc tài khoản bị vô hiệu hoá). Vui lòng đăng nhập lại.")
}
