import Domain
import HTML
import HTTP
import ServiceKit

/// The small forms of a dossier's page, one per action its status allows and the staff member's
/// roles permit. Each posts to `/ho-so/{code}/{action}` with its fields named `<action>.<field>`,
/// so the forms of one page keep distinct ids; `request(from:action:)` reads them back into the
/// API's `StepRequest`.
enum StepForms {
    /// How a completed dossier's result exists, as the complete form's select sends it.
    enum Result: String {
        case paper
        case document
    }

    /// The form of `action` on dossier `code`, showing `values` and `errors` when it was the one refused.
    static func form(
        _ action: DossierAction, code: DossierCode, values: [String: String], errors: [FieldError], csrfToken: String?
    ) -> HTML {
        let segment = action.pathSegment
        var defaults = values
        if action == .complete, defaults["\(segment).result"] == nil {
            defaults["\(segment).result"] = Result.paper.rawValue
        }
        let form = Form(
            action: "/ho-so/\(code.value)/\(segment)", values: defaults, errors: errors, csrfToken: csrfToken)
        let field = { (name: String) in "\(segment).\(name)" }
        let body = form.render(submit: VietnameseFormat.capitalised(action.vietnameseName)) {
            switch action {
            case .accept:
                "<p>Tiếp nhận hồ sơ nộp trực tuyến: thời hạn giải quyết bắt đầu tính từ bây giờ.</p>"
            case .start:
                "<p>Chuyển hồ sơ cho bộ phận chuyên môn giải quyết.</p>"
            case .supplement:
                "<p>Người nộp đã bổ sung đủ theo yêu cầu: thời hạn giải quyết được tính tiếp.</p>"
            case .returnResult:
                "<p>Trao kết quả cho người nộp (hoặc gửi qua bưu chính) và ghi nhận đã trả.</p>"
            case .requestSupplement:
                form.select(field("reasonCode"), label: "Lý do", options: reasons(SupplementReason.self))
                form.textArea(
                    field("reason"), label: "Nội dung cần bổ sung, hoàn thiện",
                    hint: "Ghi cụ thể từng giấy tờ, để người nộp chỉ phải bổ sung một lần.", rows: 3)
            case .refuse:
                form.select(field("reasonCode"), label: "Lý do", options: reasons(RefusalReason.self))
                form.textArea(field("reason"), label: "Lý do cụ thể", rows: 3)
            case .withdraw:
                form.textArea(field("reason"), label: "Lý do rút hồ sơ (theo đề nghị của người nộp)", rows: 2)
            case .complete:
                form.select(
                    field("result"), label: "Kết quả giải quyết",
                    options: [
                        SelectOption(Result.paper.rawValue, label: "Bản giấy"),
                        SelectOption(Result.document.rawValue, label: "Văn bản điện tử"),
                    ])
                form.text(
                    field("resultDocumentId"), label: "Mã tài liệu kết quả điện tử",
                    hint: "Chỉ khi kết quả là văn bản điện tử")
            case .apologise:
                form.textArea(field("reason"), label: "Lý do chậm trễ", rows: 3)
                form.text(field("newAppointmentDate"), label: "Ngày hẹn trả kết quả mới", type: .date)
            case .excludeDelay:
                form.select(field("cause"), label: "Nguyên nhân", options: reasons(ExclusionCause.self))
                form.text(field("evidenceDocumentId"), label: "Mã tài liệu chứng minh")
                form.textArea(field("note"), label: "Ghi chú", rows: 2)
            }
        }
        return """
            <section class="action" aria-labelledby="thao-tac-\(segment)">
            <h3 id="thao-tac-\(segment)">\(VietnameseFormat.capitalised(action.vietnameseName))</h3>
            \(body)
            </section>
            """
    }

    /// The API's body from the fields of `action`'s form; a date that is not one is noted in `errors`
    /// under the form's field.
    static func request(from values: [String: String], action: DossierAction, errors: inout FieldErrors)
        -> StepRequest
    {
        let value = { (name: String) in values["\(action.pathSegment).\(name)"].flatMap { $0.isEmpty ? nil : $0 } }
        var body = StepRequest()
        body.reason = value("reason")
        body.reasonCode = value("reasonCode")
        body.cause = value("cause")
        body.evidenceDocumentId = value("evidenceDocumentId")
        body.note = value("note")
        if action == .complete {
            let paper = value("result") != Result.document.rawValue
            body.paperResult = paper ? true : nil
            body.resultDocumentId = paper ? nil : value("resultDocumentId")
        }
        if let text = value("newAppointmentDate") {
            body.newAppointmentDate = LocalDate(iso: text)
            if body.newAppointmentDate == nil {
                errors.add(
                    field: "newAppointmentDate", code: "invalid_date", detail: "Ngày không hợp lệ (ngày/tháng/năm).")
            }
        }
        return body
    }

    /// The problem of a refused step as messages of `action`'s form: the API's field errors under the
    /// form's names, a broken rule beside the field it concerns, anything else at the form's top.
    static func messages(_ problem: ProblemError, action: DossierAction) -> [FieldError] {
        let errors =
            problem.errors
            ?? [
                FieldError(
                    field: field(ofProblem: problem.code, action: action), code: problem.code, detail: problem.detail)
            ]
        return errors.map {
            FieldError(
                field: $0.field.isEmpty ? "" : "\(action.pathSegment).\($0.field)", code: $0.code, detail: $0.detail)
        }
    }

    private static func field(ofProblem code: String, action: DossierAction) -> String {
        switch code {
        case "reason_text_required", "reason_text_too_long": "reason"
        case "invalid_reason_code": action == .excludeDelay ? "cause" : "reasonCode"
        case "apology_date_not_later", "apology_date_not_working_day": "newAppointmentDate"
        default: ""
        }
    }

    private static func reasons<Reason: CodedReason>(_: Reason.Type) -> [SelectOption] {
        Reason.allCases.map { SelectOption($0.rawValue, label: $0.label) }
    }
}
