import Domain
import Foundation
import HTTP
import Postgres
import ServiceKit

extension IntakeService {
    /// Sign-in, units and staff accounts: `/api/auth`, `/api/units`, `/api/staff`.
    func addStaffRoutes(to router: Router<ServiceRequestContext>, context: ServiceContext) {
        if case .unavailable(let reason) = signing {
            context.logger.error(
                "staff sign-in is unavailable: no token-signing key", ["reason": .string(reason)])
        }
        let signIn = SignIn(signing: signing, policy: .standard, throttle: SignInPolicy.standard.throttle)
        signIn.addRoutes(to: router)
        SignInPage(signIn: signIn).add(to: router)
        UnitRoutes().addRoutes(to: router)
        let staff = StaffRoutes(policy: .standard)
        staff.addRoutes(to: router)
        StaffAccountsPage(routes: staff).add(to: router)
    }
}

/// `/api/staff`: a unit's admin manages its unit's accounts, a province admin those of its
/// province's units and the province's own. Every action is audited; no answer carries a
/// password hash.
struct StaffRoutes: Sendable {
    let policy: SignInPolicy

    static let managers: Set<StaffRole> = [.admin, .provinceAdmin]

    func addRoutes(to router: Router<ServiceRequestContext>) {
        let staff = router.group("/api/staff").add(middleware: RequireStaff(roles: Self.managers))
        staff.post("", create)
        staff.get("", list)
        staff.post(":id/disable", disable)
        staff.post(":id/enable", enable)
        staff.post(":id/unlock", unlock)
        staff.post(":id/reset-password", resetPassword)
    }

    struct NewStaff: Decodable {
        var username: String?
        var fullName: String?
        var roles: [String]?
        var password: String?
        /// A unit's agency code, or `province:<code>` for a province account; absent: the
        /// admin's own unit, or for a province admin the deployment's default unit.
        var unitCode: String?
    }

    struct PasswordReset: Decodable {
        var password: String?
    }

    @Sendable func create(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let body = try request.decode(NewStaff.self)
        let authority = StaffAuthority(principal: try context.requirePrincipal())
        var errors = FieldErrors()
        let username = Self.checkedUsername(body.username, into: &errors)
        let fullName = Self.checkedFullName(body.fullName, into: &errors)
        let home = Self.home(body.unitCode, of: authority.principal, default: context.service.configuration.wardCode)
        if home == nil {
            errors.add(
                field: "unitCode", code: "invalid_format",
                detail: "Mã đơn vị phải là mã cơ quan (ví dụ H01.40.23) hoặc province:<mã tỉnh>.")
        }
        let roles = Set((body.roles ?? []).compactMap(StaffRole.init(rawValue:)))
        if let home,
            roles.isEmpty || roles.count != Set(body.roles ?? []).count || !roles.isSubset(of: home.assignableRoles)
        {
            errors.add(
                field: "roles", code: "invalid_roles",
                detail: "Vai trò phải là một hoặc nhiều trong: "
                    + home.assignableRoles.map(\.rawValue).sorted().joined(separator: ", ") + ".")
        }
        let password = body.password ?? ""
        policy.check(password: password, field: "password", into: &errors)
        try errors.throwIfAny()
        let target = home!
        if case .unit = authority.principal.scope { try authority.requireManages(target, unitProvince: nil) }
        let hash = await PasswordHash.hashing(password)
        let now = context.clock.now
        let created = try await context.transaction(authority.writeScope(into: target)) { tx in
            try await Self.requireManages(target, authority, in: tx)
            guard
                let account = try await StaffStore.insert(
                    username: username, fullName: fullName, roles: roles, passwordHash: hash, now: now, in: tx)
            else {
                throw ProblemError.conflict(
                    code: "username_taken", detail: "Tên đăng nhập \(username) đã được dùng. Vui lòng chọn tên khác.")
            }
            try await context.audit(
                "staff.created", subject: "staff:\(account.principal.id)",
                details: StaffAudit(
                    username: username, roles: account.member(at: now).roles, unitCode: target.unitCode),
                in: tx)
            return account
        }
        return try .json(created.member(at: now), status: 201)
    }

    @Sendable func list(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let authority = StaffAuthority(principal: try context.requirePrincipal())
        let page = try PageRequest(query: request.query)
        let after = try page.after(String.self)
        let now = context.clock.now
        let accounts = try await context.transaction(authority.readScope) { tx in
            try await StaffStore.list(after: after, limit: page.fetchLimit, province: authority.province, in: tx)
        }
        return try .json(Page(rows: accounts.map { $0.member(at: now) }, request: page, key: \.username))
    }

    @Sendable func disable(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let authority = StaffAuthority(principal: try context.requirePrincipal())
        let id = try Self.id(in: request)
        guard id.uuidString.lowercased() != authority.principal.id else {
            throw ProblemError.conflict(
                code: "cannot_disable_self", detail: "Không thể tự vô hiệu hoá tài khoản của mình.")
        }
        let home = try await managedHome(id, authority, context)
        let now = context.clock.now
        let account = try await context.transaction(authority.writeScope(into: home)) { tx in
            guard try await StaffStore.disable(id: id, now: now, in: tx) else {
                throw ProblemError.conflict(code: "already_disabled", detail: "Tài khoản đã bị vô hiệu hoá từ trước.")
            }
            try await StaffStore.revokeSessions(staff: id, reason: "disabled", now: now, in: tx)
            try await context.audit("staff.disabled", subject: "staff:\(id.uuidString.lowercased())", in: tx)
            return try await StaffStore.account(id: id, in: tx)
        }
        return try .json(account?.member(at: now))
    }

    /// Lets a disabled account sign in again.
    @Sendable func enable(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let authority = StaffAuthority(principal: try context.requirePrincipal())
        let id = try Self.id(in: request)
        let home = try await managedHome(id, authority, context)
        let now = context.clock.now
        let account = try await context.transaction(authority.writeScope(into: home)) { tx in
            guard try await StaffStore.enable(id: id, in: tx) else {
                throw ProblemError.conflict(code: "not_disabled", detail: "Tài khoản không bị vô hiệu hoá.")
            }
            try await context.audit("staff.enabled", subject: "staff:\(id.uuidString.lowercased())", in: tx)
            return try await StaffStore.account(id: id, in: tx)
        }
        return try .json(account?.member(at: now))
    }

    /// Ends every wait after wrong passwords of the account, from every address.
    @Sendable func unlock(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let authority = StaffAuthority(principal: try context.requirePrincipal())
        let id = try Self.id(in: request)
        let home = try await managedHome(id, authority, context)
        let now = context.clock.now
        let account = try await context.transaction(authority.writeScope(into: home)) { tx in
            guard let account = try await StaffStore.account(id: id, in: tx) else {
                throw ProblemError.notFound(code: "staff_not_found", detail: "Không có tài khoản cán bộ này.")
            }
            try await StaffStore.unlock(username: account.username, in: tx)
            try await context.audit("staff.unlocked", subject: "staff:\(id.uuidString.lowercased())", in: tx)
            return try await StaffStore.account(id: id, in: tx)
        }
        return try .json(account?.member(at: now))
    }

    @Sendable func resetPassword(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let authority = StaffAuthority(principal: try context.requirePrincipal())
        let id = try Self.id(in: request)
        let body = try request.decode(PasswordReset.self)
        var errors = FieldErrors()
        let password = body.password ?? ""
        policy.check(password: password, field: "password", into: &errors)
        try errors.throwIfAny()
        let home = try await managedHome(id, authority, context)
        let hash = await PasswordHash.hashing(password)
        let now = context.clock.now
        try await context.transaction(authority.writeScope(into: home)) { tx in
            try await StaffStore.setPassword(id: id, hash: hash, now: now, in: tx)
            if let account = try await StaffStore.account(id: id, in: tx) {
                try await StaffStore.unlock(username: account.username, in: tx)
            }
            try await StaffStore.revokeSessions(staff: id, reason: "password_reset", now: now, in: tx)
            try await context.audit("staff.password_reset", subject: "staff:\(id.uuidString.lowercased())", in: tx)
        }
        return .noContent
    }

    /// The home of account `id` when the principal manages it: 404 when it cannot read it, 403
    /// when it reads it but does not manage it (a province admin and another province's unit).
    private func managedHome(
        _ id: UUID, _ authority: StaffAuthority, _ context: ServiceRequestContext
    ) async throws -> StaffHome {
        try await context.transaction(authority.readScope) { tx in
            guard let account = try await StaffStore.account(id: id, in: tx) else {
                throw ProblemError.notFound(code: "staff_not_found", detail: "Không có tài khoản cán bộ này.")
            }
            try await Self.requireManages(account.home, authority, in: tx)
            return account.home
        }
    }

    /// `requireManages` with a unit home's province, its code's (422 when the unit is not registered).
    private static func requireManages(
        _ home: StaffHome, _ authority: StaffAuthority, in tx: ScopedTransaction
    ) async throws {
        guard case .unit(let code) = home else { return try authority.requireManages(home, unitProvince: nil) }
        // A unit's province is its code's (the row security's rule), so it is known before the row.
        try authority.requireManages(home, unitProvince: UnitStore.province(of: code))
        guard try await UnitStore.unit(code, in: tx) != nil else {
            throw ProblemError.unprocessable(
                detail: "Đơn vị \(code) chưa được đăng ký.",
                errors: [
                    FieldError(field: "unitCode", code: "unknown_unit", detail: "Đơn vị \(code) chưa được đăng ký.")
                ])
        }
    }

    /// The username in lower case, noting in `errors` when it breaks the staff table's rule.
    static func checkedUsername(_ username: String?, into errors: inout FieldErrors) -> String {
        let username = (username ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        if username.wholeMatch(of: /[a-z0-9._-]{3,40}/) == nil {
            errors.add(
                field: "username", code: "invalid_format",
                detail: "Tên đăng nhập gồm 3–40 ký tự: chữ thường không dấu, chữ số, dấu chấm, gạch dưới, gạch ngang.")
        }
        return username
    }

    /// The trimmed full name, noting in `errors` when it is empty or too long.
    static func checkedFullName(_ fullName: String?, into errors: inout FieldErrors) -> String {
        let fullName = (fullName ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if fullName.isEmpty || fullName.count > 100 {
            errors.add(field: "fullName", code: "required", detail: "Vui lòng nhập họ và tên (tối đa 100 ký tự).")
        }
        return fullName
    }

    /// The home a new account's `unitCode` names; nil when it is malformed.
    private static func home(_ unitCode: String?, of principal: StaffPrincipal, default ward: String) -> StaffHome? {
        guard let unitCode = unitCode?.trimmingCharacters(in: .whitespaces), !unitCode.isEmpty else {
            if case .unit(let own) = principal.scope { return .unit(own) }
            return .unit(ward)
        }
        let home = StaffHome(unitCode: unitCode)
        switch home {
        case .unit(let code): return DossierCode.isAgencyCode(code) ? home : nil
        case .province(let code): return UnitStore.isProvinceCode(code) ? home : nil
        }
    }

    private static func id(in request: Request) throws(ProblemError) -> UUID {
        guard let id = UUID(uuidString: try request.require("id", as: String.self)) else {
            throw ProblemError.badRequest(code: "invalid_parameter", detail: "Mã tài khoản cán bộ không hợp lệ.")
        }
        return id
    }
}

/// What the audit trail keeps of a new account.
private struct StaffAudit: Encodable {
    let username: String
    let roles: [String]
    let unitCode: String
}
