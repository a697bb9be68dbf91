import Domain
import Foundation
import HTML
import HTTP
import ServiceKit

/// `/ho-so/tiep-nhan`: a receptionist receives a dossier in two steps. First the procedure (a GET
/// form, `?thu-tuc=<code>`), which shows its fee, components and the appointment date computed now;
/// then the applicant and, for each component, paper to be scanned or a document id, posted to
/// `Receipt.receive` (the API's code path): 303 to the dossier's page, or 422 with each message
/// beside its field.
struct ReceivePage {
    let receipt: Receipt
    let cache: CalendarCache

    static let path = "/ho-so/tiep-nhan"

    /// How a component is handed in, as the form's select sends it.
    enum Delivery: String, CaseIterable {
        case paper
        case document
        case none
    }

    func show(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let code = request.query["thu-tuc"].flatMap { $0.isEmpty ? nil : $0 }
        return try await render(procedureCode: code, values: ["channel": DossierChannel.counter.rawValue], context)
    }

    func submit(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let values = try IntakePages.values(of: request)
        let code = values["procedureCode"] ?? ""
        let procedure = try await context.transaction { tx in try await ReceivePage.activeProcedure(code, in: tx) }
        var errors = FieldErrors()
        let body = Self.receiptRequest(values, procedure: procedure, errors: &errors)
        do {
            guard errors.isEmpty else {
                // The form's own problems, with every applicant field's alongside: all at once.
                _ = Receipt.validate(body.applicant, into: &errors)
                throw errors.problem
            }
            let view = try await receipt.receive(
                body, channel: body.channel ?? .counter, receiver: .staff(try context.requirePrincipal()),
                unit: try DossierRoutes.writingUnit(context), context: context)
            return IntakePages.redirect(to: "/ho-so/\(view.code.value)?moi=1")
        } catch let problem as ProblemError where problem.errors != nil {
            return try await render(
                procedureCode: code, values: values, errors: problem.errors ?? [], status: 422, context)
        }
    }

    /// The receipt the form's fields describe; a component said to be a document but given no id
    /// is noted in `errors`.
    static func receiptRequest(
        _ values: [String: String], procedure: Procedure?, errors: inout FieldErrors
    ) -> ReceiptRequest {
        var components: [ReceiptRequest.ComponentInput] = []
        for component in procedure?.components ?? [] {
            let name = "components.\(component.code)"
            let documentId = values["\(name).documentId"]?.trimmingCharacters(in: .whitespaces) ?? ""
            switch Delivery(rawValue: values[name] ?? "") ?? .none {
            case .paper:
                components.append(.init(code: component.code, documentId: nil))
            case .document where documentId.isEmpty:
                errors.add(
                    field: "\(name).documentId", code: "required",
                    detail: "Nhập mã tài liệu điện tử, hoặc chọn “Bản giấy”.")
            case .document:
                components.append(.init(code: component.code, documentId: documentId))
            case .none:
                continue
            }
        }
        return ReceiptRequest(
            procedureCode: values["procedureCode"], channel: values["channel"].flatMap(DossierChannel.init(rawValue:)),
            applicant: .init(
                fullName: values["applicant.fullName"], cccd: values["applicant.cccd"],
                phone: values["applicant.phone"], email: values["applicant.email"],
                address: values["applicant.address"]),
            components: components)
    }

    private func render(
        procedureCode: String?, values: [String: String], errors: [FieldError] = [], status: Int = 200,
        _ context: ServiceRequestContext
    ) async throws -> Response {
        let now = context.clock.now
        let unit = try IntakePages.staffUnit(context)
        let (unitName, choices, procedure, clock) = try await context.transaction(.unit(unit)) { tx in
            (
                try await IntakePages.unitName(unit, in: tx), try await ProcedureChoice.all(in: tx),
                try await procedureCode.asyncMap { try await ReceivePage.activeProcedure($0, in: tx) } ?? nil,
                try await cache.clock(in: tx)
            )
        }
        var choose = Form(action: Self.path, values: ["thu-tuc": procedureCode ?? ""])
        if procedureCode != nil, procedure == nil {
            choose.errors = [
                FieldError(field: "thu-tuc", code: "unknown_procedure", detail: "Không có thủ tục này trong danh mục.")
            ]
        }
        var main: HTML = """
            <form class="form form--inline" method="get" action="\(Self.path)">
            \(choose.select("thu-tuc", label: "Bước 1. Thủ tục hành chính", options: ProcedureChoice.options(choices)))\
            <div class="form-actions"><button class="button button--secondary" type="submit">Chọn thủ tục</button></div>
            </form>
            """
        if let procedure {
            let deadline = clock.deadline(
                receivedAt: now, processingDays: procedure.summary.processingDays,
                procedureCutoff: procedure.sameDayCutoff)
            main = "\(main)\(Self.summary(procedure, appointment: deadline.dueDate))"
            let form = Form(
                action: Self.path, values: Self.defaults(values, procedure: procedure), errors: errors,
                csrfToken: context.csrfToken)
            main = """
                \(main)\(Self.receiptForm(form, procedure: procedure, channels: [.counter, .post], submit: "Tiếp nhận hồ sơ"))
                """
        }
        let page = IntakePages.staffLayout(unitName: unitName).page(
            title: "Tiếp nhận hồ sơ", currentPath: Self.path, main: main)
        return .page(page, status: status)
    }

    /// The procedure `code` of the catalogue when it is active, as a receipt accepts it.
    static func activeProcedure(_ code: String, in tx: ScopedTransaction) async throws -> Procedure? {
        try await ProcedureStore.procedure(code: code, in: tx).flatMap { $0.active ? $0 : nil }
    }

    /// `values` with each component not yet chosen set to paper when required, else not handed in.
    static func defaults(_ values: [String: String], procedure: Procedure) -> [String: String] {
        var defaults = values
        for component in procedure.components where defaults["components.\(component.code)"] == nil {
            defaults["components.\(component.code)"] = (component.required ? Delivery.paper : .none).rawValue
        }
        return defaults
    }

    /// The chosen procedure: its fee, time limit and, at the counter, the appointment date if
    /// received now (online the clock starts at acceptance).
    static func summary(_ procedure: Procedure, appointment: LocalDate?) -> HTML {
        let summary = procedure.summary
        let fee = summary.fee + summary.charge
        return """
            <section class="panel" aria-labelledby="thu-tuc-da-chon">
            <h2 id="thu-tuc-da-chon">\(summary.name)</h2>
            <dl class="facts">
            <div><dt>Mã thủ tục</dt><dd>\(summary.code)</dd></div>
            <div><dt>Lĩnh vực</dt><dd>\(VietnameseFormat.capitalised(summary.field))</dd></div>
            <div><dt>Thời hạn giải quyết</dt><dd>\(summary.processingDays == 0 ? "Trong ngày" : "\(summary.processingDays) ngày làm việc")</dd></div>
            <div><dt>Phí, lệ phí</dt><dd>\(fee == .zero ? "Không thu" : fee.formatted)</dd></div>
            \(appointment.map { "<div><dt>Hẹn trả nếu tiếp nhận bây giờ</dt><dd><strong>\(VietnameseFormat.dayAndDate($0))</strong></dd></div>" as HTML })
            </dl>
            </section>
            """
    }

    /// Step 2: the channel (at the counter: in person or by post; none online), the applicant and
    /// the components, with `hidden` fields such as the unit.
    static func receiptForm(
        _ form: Form, procedure: Procedure, channels: [DossierChannel], hidden: [String: String] = [:],
        submit: String
    ) -> HTML {
        let componentMessages = form.messages(for: "components")
        let componentError: HTML? =
            componentMessages.isEmpty
            ? nil
            : "<p class=\"field-error\" id=\"f-components-error\"><span class=\"visually-hidden\">Lỗi: </span>\(componentMessages.joined(separator: " "))</p>"
        return form.render(submit: submit) {
            form.hidden("procedureCode", value: procedure.summary.code)
            hidden.sorted { $0.key < $1.key }.map { form.hidden($0.key, value: $0.value) }
            "<h2>Bước 2. Người nộp hồ sơ</h2>"
            if !channels.isEmpty {
                form.select(
                    "channel", label: "Hình thức nộp",
                    options: channels.map { SelectOption($0.rawValue, label: VietnameseFormat.channel($0)) })
            }
            form.text("applicant.fullName", label: "Họ và tên", autocomplete: "off")
            form.text(
                "applicant.cccd", label: "Số định danh cá nhân (CCCD)", hint: "12 chữ số", type: .text,
                autocomplete: "off")
            form.text(
                "applicant.phone", label: "Số điện thoại", hint: "Ví dụ 0912345678", type: .tel, autocomplete: "off")
            form.text("applicant.email", label: "Thư điện tử (nếu có)", type: .email, autocomplete: "off")
            form.textArea("applicant.address", label: "Địa chỉ", rows: 2)
            "<fieldset class=\"fieldset\" id=\"f-components\"><legend>Bước 3. Thành phần hồ sơ</legend>"
            if let componentError { componentError }
            procedure.components.map { componentField($0, form: form) }
            "</fieldset>"
        }
    }

    private static func componentField(_ component: Procedure.Component, form: Form) -> HTML {
        let name = "components.\(component.code)"
        let label = component.required ? "\(component.name) (bắt buộc)" : component.name
        return """
            <div class="component">
            \(form.select(name, label: label, options: [
                SelectOption(Delivery.paper.rawValue, label: "Bản giấy – chờ số hóa"),
                SelectOption(Delivery.document.rawValue, label: "Tài liệu điện tử đã có"),
                SelectOption(Delivery.none.rawValue, label: "Không nộp"),
            ]))\
            \(form.text("\(name).documentId", label: "Mã tài liệu điện tử", hint: "Chỉ khi chọn “Tài liệu điện tử đã có”"))\
            </div>
            """
    }
}

extension Optional {
    /// The wrapped value transformed by an async function, or nil.
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
