import Foundation
import HTML
import HTTP
import ServiceKit

/// `/can-bo`: an administrator's staff accounts (tài khoản cán bộ) — the unit's, or for a province
/// administrator the province's and its units' — with their state (active, disabled, waiting after
/// wrong passwords) and a button per action. Each button posts to the same handler as
/// `POST /api/staff/{id}/enable|disable|unlock` (the checks, the audit trail); a refusal is shown
/// beside the account's buttons.
struct StaffAccountsPage {
    let routes: StaffRoutes

    static let path = "/can-bo"

    /// What a button does, by the path segment it posts to.
    enum Action: String, CaseIterable {
        case enable = "kich-hoat"
        case disable = "vo-hieu-hoa"
        case unlock = "mo-khoa"

        var label: String {
            switch self {
            case .enable: "Kích hoạt lại"
            case .disable: "Vô hiệu hoá"
            case .unlock: "Mở khoá đăng nhập"
            }
        }

        var done: String {
            switch self {
            case .enable: "Đã kích hoạt lại tài khoản: cán bộ đăng nhập được như trước."
            case .disable: "Đã vô hiệu hoá tài khoản và kết thúc mọi phiên đăng nhập của tài khoản."
            case .unlock: "Đã mở khoá: tài khoản đăng nhập lại được ngay, từ mọi địa chỉ."
            }
        }

        func perform(_ routes: StaffRoutes) -> @Sendable (Request, ServiceRequestContext) async throws -> Response {
            switch self {
            case .enable: routes.enable
            case .disable: routes.disable
            case .unlock: routes.unlock
            }
        }
    }

    func add(to router: Router<ServiceRequestContext>) {
        let pages = router.group(Self.path).add(middleware: PageProblem(audience: .staff)).add(
            middleware: RequireStaff(roles: StaffRoutes.managers))
        pages.get("") { request, context in try await show(request, context) }
        pages.post("/:id/:action") { request, context in try await act(request, context) }
    }

    func show(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let done = request.query["xong"].flatMap(Action.init(rawValue:))
        return try await render(request, notice: done.map { "<p class=\"notice notice--success\" role=\"status\">\($0.done)</p>" }, context)
    }

    func act(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        guard let action = request.parameters["action"].flatMap(Action.init(rawValue:)) else {
            throw ProblemError.notFound(code: "unknown_action", detail: "Không có thao tác này với tài khoản.")
        }
        let id = request.parameters["id"] ?? ""
        do {
            _ = try await action.perform(routes)(request, context)
            return IntakePages.redirect(to: Self.path + "?" + IntakePages.query([("xong", action.rawValue)]) + "#tk-\(id)")
        } catch let error as HTTPResponseError where [400, 403, 404, 409, 422].contains(error.problem.status) {
            return try await render(
                request, refused: (id: id.lowercased(), detail: error.problem.detail), status: error.problem.status,
                context)
        }
    }

    private func render(
        _ request: Request, notice: HTML? = nil, refused: (id: String, detail: String)? = nil, status: Int = 200,
        _ context: ServiceRequestContext
    ) async throws -> Response {
        let principal = try context.requirePrincipal()
        let authority = StaffAuthority(principal: principal)
        let page = try PageRequest(query: request.query, defaultLimit: 50)
        let after = try page.after(String.self)
        let now = context.clock.now
        let unitName = try await IntakePages.staffUnitName(context)
        let accounts = try await context.transaction(authority.readScope) { tx in
            try await StaffStore.list(after: after, limit: page.fetchLimit, province: authority.province, in: tx)
        }
        let rows = Page(rows: accounts.map { $0.member(at: now) }, request: page, key: \.username)
        let items = rows.items.map { member in
            row(member, isSelf: member.id == principal.id, refused: refused?.id == member.id ? refused?.detail : nil,
                csrfToken: context.csrfToken)
        }
        // A refusal for an account not on this page (another page, or no longer readable): on top.
        let orphan: HTML? = refused.flatMap { refused in
            rows.items.contains { $0.id == refused.id }
                ? nil : "<p class=\"notice notice--problem\" role=\"alert\">\(refused.detail)</p>"
        }
        let list: HTML =
            items.isEmpty
            ? "<p class=\"notice\">Không có tài khoản nào.</p>" : "<ul class=\"queue\">\(items)</ul>"
        let next: HTML? = rows.nextCursor.map { cursor in
            "<p class=\"pager\"><a class=\"button button--secondary\" href=\"\(Self.path)?\(IntakePages.query([("cursor", cursor)]))\">Trang sau</a></p>"
        }
        let main: HTML = "\(notice)\(orphan)\(list)\(next)"
        return .page(
            IntakePages.staffLayout(unitName: unitName, for: principal).page(
                title: "Tài khoản cán bộ", currentPath: Self.path, main: main),
            status: status)
    }

    /// One account: who, its roles and unit, its state, and the buttons its state allows.
    private func row(_ member: StaffMember, isSelf: Bool, refused: String?, csrfToken: String?) -> HTML {
        let (modifier, state): (String, String) =
            if member.disabled {
                ("overdue", "Đã vô hiệu hoá")
            } else if let until = member.lockedUntil {
                ("due-soon", "Tạm chờ đến \(SignInPolicy.vietnamese(until)) (nhập sai mật khẩu nhiều lần)")
            } else {
                ("on-time", "Đang hoạt động")
            }
        let roles = member.roles.compactMap(StaffRole.init(rawValue:)).map(\.vietnameseName).sorted()
        var actions: [Action] = member.disabled ? [.enable] : isSelf ? [] : [.disable]
        if member.lockedUntil != nil { actions.append(.unlock) }
        let buttons = actions.map { action -> HTML in
            let form = Form(action: "\(Self.path)/\(member.id)/\(action.rawValue)", csrfToken: csrfToken)
            return """
                <form class="form form--inline" method="post" action="\(form.action)">\
                \(csrfToken.map { form.hidden(Form.csrfFieldName, value: $0) })\
                <div class="form-actions"><button class="button" type="submit">\(action.label)\
                <span class="visually-hidden"> tài khoản \(member.username)</span></button></div></form>
                """
        }
        let message: HTML? = refused.map { "<p class=\"field-error\" role=\"alert\">\($0)</p>" }
        return """
            <li class="queue-item queue-item--\(modifier)" id="tk-\(member.id)">
            <p class="queue-code">\(member.fullName) <span class="muted">(\(member.username))</span></p>
            <p class="queue-meta">\(roles.joined(separator: ", ")) · \(member.unitCode)</p>
            <p class="deadline deadline--\(modifier)">\(state)</p>
            \(buttons)\(message)
            </li>
            """
    }
}
