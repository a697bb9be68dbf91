import Domain
import Foundation
import HTML
import HTTP
import ServiceKit

/// `/ho-so/{code}`: one dossier as staff see it (`DossierStore.view`, the API's code path): status
/// and dates, applicant, components, fees, the timeline, its printed forms, and one small form per
/// action its status allows and the staff member may take. A form posts to `/ho-so/{code}/{action}`,
/// which calls `DossierStep.take` and redirects back (303), or shows the page again with the
/// problem beside the field it concerns.
struct DossierPage {
    let step: DossierStep
    let cache: CalendarCache

    /// A refused action's form, shown again with what was typed and the messages.
    struct Refused {
        let action: DossierAction
        let values: [String: String]
        let errors: [FieldError]
    }

    func show(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let code = try request.require("code", as: DossierCode.self)
        let notice: HTML? =
            request.query["moi"] == nil
            ? nil
            : """
            <div class="notice notice--success" role="status">
            <p><strong>Đã tiếp nhận hồ sơ \(code.value).</strong> In giấy tiếp nhận và hẹn trả kết quả để giao cho người nộp.</p>
            <p><a class="button" href="/ho-so/\(code.value)/in/\(PrintedForm.receiptSlip.rawValue)">In giấy tiếp nhận</a></p>
            </div>
            """
        return try await render(code, notice: notice, context)
    }

    func act(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let code = try request.require("code", as: DossierCode.self)
        guard let action = request.parameters["action"].flatMap(DossierAction.init(pathSegment:)) else {
            throw ProblemError.notFound(code: "unknown_action", detail: "Không có thao tác này với hồ sơ.")
        }
        try DossierRoutes.authorize(action, context)
        let values = try IntakePages.values(of: request)
        var errors = FieldErrors()
        let body = StepForms.request(from: values, action: action, errors: &errors)
        do {
            try errors.throwIfAny()
            _ = try await step.take(action, on: code, request: body, context: context)
            return IntakePages.redirect(to: "/ho-so/\(code.value)#trang-thai")
        } catch let error as HTTPResponseError where [400, 409, 422].contains(error.problem.status) {
            let refused = Refused(
                action: action, values: values, errors: StepForms.messages(error.problem, action: action))
            return try await render(code, refused: refused, status: error.problem.status, context)
        }
    }

    private func render(
        _ code: DossierCode, notice: HTML? = nil, refused: Refused? = nil, status: Int = 200,
        _ context: ServiceRequestContext
    ) async throws -> Response {
        let now = context.clock.now
        let principal = try context.requirePrincipal()
        let (view, unitName) = try await context.transaction { tx in
            guard let record = try await DossierStore.find(code, in: tx) else { throw DossierStep.notFound(code) }
            return (
                try await DossierStore.view(record, clock: try await cache.clock(in: tx), now: now, in: tx),
                try await IntakePages.unitName(record.unitCode, in: tx)
            )
        }
        let actions = view.allowedActions.compactMap(DossierAction.init(pathSegment:)).filter {
            principal.hasAny(DossierStep.roles[$0] ?? [])
        }
        let forms = actions.map { action in
            StepForms.form(
                action, code: code, values: refused?.action == action ? refused!.values : [:],
                errors: refused?.action == action ? refused!.errors : [], csrfToken: context.csrfToken)
        }
        // A refused action whose form the page no longer shows (the dossier moved on): its message on top.
        let orphan: HTML? = refused.flatMap { refused in
            actions.contains(refused.action)
                ? nil
                : """
                <div class="problem-summary" role="alert"><h2>Chưa thực hiện được:                 \(VietnameseFormat.capitalised(refused.action.vietnameseName))</h2>                <ul>\(refused.errors.map { "<li>\($0.detail)</li>" as HTML })</ul></div>
                """
        }
        let actionSection: HTML =
            forms.isEmpty
            ? "<p class=\"muted\">Không có thao tác nào bạn có thể thực hiện với hồ sơ ở trạng thái này.</p>"
            : "\(forms)"
        let printed = PrintedForm.allCases.filter { $0.isAvailable(for: view) }.map { form -> HTML in
            "<li><a href=\"/ho-so/\(code.value)/in/\(form.rawValue)\">\(form.title)</a></li>"
        }
        let main: HTML = """
            \(notice)\(orphan)\
            \(Self.statusPanel(view))
            <div class="columns">
            <section aria-labelledby="thao-tac"><h2 id="thao-tac">Thao tác</h2>\(actionSection)</section>
            <section aria-labelledby="bieu-mau"><h2 id="bieu-mau">Biểu mẫu in</h2><ul class="links">\(printed)</ul></section>
            </div>
            \(Self.applicant(view))\(Self.components(view))\(Self.fees(view))\(Self.timeline(view))
            """
        let page = IntakePages.staffLayout(unitName: unitName).page(title: "Hồ sơ \(code.value)", main: main)
        return .page(page, status: status)
    }

    static func statusPanel(_ view: DossierView) -> HTML {
        var rows: [(String, HTML)] = [
            ("Thủ tục", "\(view.procedureName)"), ("Hình thức nộp", "\(VietnameseFormat.channel(view.channel))"),
        ]
        if let at = view.submittedAt { rows.append(("Nộp trực tuyến lúc", "\(VietnameseFormat.dateTime(at))")) }
        if view.status == .submitted, let due = view.acceptanceDueAt {
            rows.append(("Hạn tiếp nhận", "\(VietnameseFormat.dateTime(due))"))
        }
        if view.acceptedLate == true { rows.append(("Tiếp nhận", "Quá hạn tiếp nhận trực tuyến")) }
        if let at = view.receivedAt { rows.append(("Tiếp nhận lúc", "\(VietnameseFormat.dateTime(at))")) }
        if let date = view.appointmentDate {
            rows.append(("Hẹn trả kết quả", "<strong>\(VietnameseFormat.dayAndDate(date))</strong>"))
        }
        if let due = view.dueDate, due != view.appointmentDate {
            rows.append(("Hạn giải quyết ban đầu", "\(VietnameseFormat.date(due))"))
        }
        if view.paused { rows.append(("Thời hạn", "Tạm dừng, chờ bổ sung")) }
        if let at = view.completedAt { rows.append(("Có kết quả lúc", "\(VietnameseFormat.dateTime(at))")) }
        if let at = view.returnedAt { rows.append(("Đã trả kết quả lúc", "\(VietnameseFormat.dateTime(at))")) }
        if view.delayExcluded { rows.append(("Chậm trễ", "Do nguyên nhân khách quan (đã có tài liệu chứng minh)")) }
        let deadline: HTML? = view.deadlineState.map {
            " <span class=\"deadline deadline--\(VietnameseFormat.deadlineClass($0))\">\(VietnameseFormat.deadline($0))</span>"
        }
        return """
            <section class="panel" id="trang-thai" aria-labelledby="trang-thai-tieu-de">
            <h2 id="trang-thai-tieu-de">\(VietnameseFormat.status(view.status))\(deadline)</h2>
            \(facts(rows))
            </section>
            """
    }

    static func applicant(_ view: DossierView) -> HTML {
        var rows: [(String, HTML)] = [
            ("Họ và tên", "\(view.applicant.fullName)"), ("Số định danh cá nhân", "\(view.applicant.cccd)"),
            ("Số điện thoại", "\(view.applicant.phone)"),
        ]
        if let email = view.applicant.email { rows.append(("Thư điện tử", "\(email)")) }
        rows.append(("Địa chỉ", "\(view.applicant.address)"))
        return
            "<section aria-labelledby=\"nguoi-nop\"><h2 id=\"nguoi-nop\">Người nộp hồ sơ</h2>\(facts(rows))</section>"
    }

    static func components(_ view: DossierView) -> HTML {
        let rows = view.components.map { component -> HTML in
            let form: HTML =
                component.documentId.map { "Tài liệu điện tử <span class=\"code\">\($0)</span>" }
                ?? "Bản giấy – chờ số hóa"
            return "<tr><td>\(component.name)\(component.required ? "" : " (không bắt buộc)")</td><td>\(form)</td></tr>"
        }
        return """
            <section aria-labelledby="thanh-phan"><h2 id="thanh-phan">Thành phần hồ sơ</h2>
            <div class="table-scroll"><table><thead><tr><th scope="col">Giấy tờ</th><th scope="col">Hình thức</th></tr></thead>
            <tbody>\(rows)</tbody></table></div></section>
            """
    }

    static func fees(_ view: DossierView) -> HTML {
        let state =
            switch view.paymentState {
            case "requested": "Đã yêu cầu thanh toán"
            case "settled": "Đã thanh toán"
            case "refunded": "Đã hoàn tiền"
            default: view.feeDue == .zero ? "Không thu" : "Chưa yêu cầu thanh toán"
            }
        return """
            <section aria-labelledby="phi"><h2 id="phi">Phí, lệ phí</h2>
            \(facts([("Phải nộp", "\(view.feeDue.formatted)"), ("Đã nộp", "\(view.feePaid.formatted)"), ("Tình trạng", "\(state)")]))
            </section>
            """
    }

    static func timeline(_ view: DossierView) -> HTML {
        let steps = view.timeline.map { step -> HTML in
            let reason: HTML? = step.reason.map { "<p class=\"timeline-reason\">Lý do: \($0)</p>" }
            return """
                <li><p class="timeline-when">\(VietnameseFormat.dateTime(step.at))</p>
                <p><strong>\(VietnameseFormat.step(step.action))</strong> → \(VietnameseFormat.status(step.toStatus))</p>
                <p class="muted">\(step.actorName ?? (step.actor == "citizen" ? "Người nộp hồ sơ" : step.actor))</p>\(reason)</li>
                """
        }
        return """
            <section aria-labelledby="qua-trinh"><h2 id="qua-trinh">Quá trình giải quyết</h2>
            <ol class="timeline">\(steps)</ol></section>
            """
    }

    /// A definition list of label–value pairs.
    static func facts(_ pairs: [(String, HTML)]) -> HTML {
        let rows = pairs.map { label, value -> HTML in "<div><dt>\(label)</dt><dd>\(value)</dd></div>" }
        return "<dl class=\"facts\">\(rows)</dl>"
    }
}
