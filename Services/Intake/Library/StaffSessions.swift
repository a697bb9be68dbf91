import Foundation
import HTTP
import ServiceKit

/// Intake's check of a staff token on every staff request (ARCHITECTURE §8): the account is not
/// disabled and the token's session (`sid`) is neither signed out, revoked nor past its end. One
/// read of the staff and session tables; a token naming no session (only a holder of the signing
/// key makes one) is checked for its account alone.
struct StaffSessions: StaffSessionCheck {
    func check(_ principal: StaffPrincipal, _ context: ServiceRequestContext) async throws {
        let session = principal.session.map(UUID.init(uuidString:))
        if case .some(nil) = session { throw Self.ended }
        let now = context.clock.now
        let holds = try await context.service.transaction(.allUnits) { tx in
            try await StaffStore.tokenHolds(
                staff: UUID(uuidString: principal.id), session: session ?? nil, hasSession: session != nil, now: now,
                in: tx)
        }
        guard holds else { throw Self.ended }
    }

    static let ended = ProblemError(
        status: 401, code: "session_ended", title: "Chưa đăng nhập",
        detail: "Phiên đăng nhập đã kết thúc (đã đăng xuất hoặc tài khoản bị vô hiệu hoá). Vui lòng đăng nhập lại.")
}
