import Domain
import HTML
import HTTP
import ServiceKit

/// `/tra-cuu`: a citizen looks a dossier up by its code and the last 4 digits of the phone given at
/// receipt (`PublicRoutes.lookup`, the API's code path, with its limit on wrong pairs): status,
/// appointment date and what is missing, nothing personal. The receipt's QR code links here with
/// `?ma=<code>`; the form posts, so the phone digits stay out of addresses and history.
struct LookupPage {
    let routes: PublicRoutes

    static let path = "/tra-cuu"

    func show(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        try await render(values: ["ma": request.query["ma"] ?? ""], context)
    }

    func submit(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let values = try IntakePages.values(of: request)
        var errors = FieldErrors()
        let text = (values["ma"] ?? "").trimmingCharacters(in: .whitespaces)
        var code: DossierCode?
        if text.isEmpty {
            errors.add(field: "ma", code: "required", detail: "Vui lòng nhập mã hồ sơ.")
        } else {
            do {
                code = try DossierCode(parsing: text)
            } catch let error as DomainError {
                errors.add(field: "ma", code: error.code, detail: error.message)
            }
        }
        let phone = values["sdt"] ?? ""
        if phone.filter(\.isNumber).count < 4 {
            errors.add(field: "sdt", code: "required", detail: "Vui lòng nhập 4 số cuối số điện thoại đã đăng ký.")
        }
        guard errors.isEmpty, let code else {
            return try await render(values: values, errors: errors.all, status: 422, context)
        }
        do {
            let view = try await routes.lookup(code, phone: phone, client: request.clientAddress, context: context)
            return try await render(values: ["ma": code.value], found: view, context)
        } catch let error as HTTPResponseError where [404, 429].contains(error.problem.status) {
            let problem = error.problem
            return try await render(
                values: values, errors: [FieldError(field: "", code: problem.code, detail: problem.detail)],
                status: problem.status, context)
        }
    }

    private func render(
        values: [String: String], errors: [FieldError] = [], found: PublicDossierView? = nil, status: Int = 200,
        _ context: ServiceRequestContext
    ) async throws -> Response {
        let form = Form(action: Self.path, values: values, errors: errors)
        let main: HTML = """
            <p>Nhập mã hồ sơ in trên giấy tiếp nhận và 4 số cuối số điện thoại đã đăng ký khi nộp hồ sơ.</p>
            \(form.render(submit: "Tra cứu") {
                form.text("ma", label: "Mã hồ sơ", hint: "Ví dụ H01.40.23-260305-0001", autocomplete: "off")
                form.text("sdt", label: "4 số cuối số điện thoại", type: .tel, autocomplete: "off")
            })\
            \(found.map(Self.result))
            """
        let unitName = try await SubmissionPage.deploymentUnitName(context)
        return .page(
            IntakePages.citizenLayout(unitName: unitName).page(
                title: "Tra cứu hồ sơ", currentPath: Self.path, main: main),
            status: status)
    }

    /// What the citizen may know of the dossier.
    static func result(_ view: PublicDossierView) -> HTML {
        var rows: [(String, HTML)] = [
            ("Thủ tục", "\(view.procedureName)"),
            ("Trạng thái", "<strong class=\"status\">\(VietnameseFormat.capitalised(view.statusName))</strong>"),
        ]
        if let date = view.appointmentDate { rows.append(("Hẹn trả kết quả", "\(VietnameseFormat.dayAndDate(date))")) }
        if view.feeOutstanding > .zero { rows.append(("Phí, lệ phí còn phải nộp", "\(view.feeOutstanding.formatted)")) }
        let missing: HTML? =
            view.status == .supplementRequested
            ? """
            <div class="notice notice--warning"><h3>Hồ sơ cần bổ sung</h3>\
            \(view.supplementReason.map { "<p>\($0)</p>" as HTML })\
            \(view.missing.isEmpty ? nil : "<ul>\(view.missing.map { "<li>\($0)</li>" as HTML })</ul>" as HTML)\
            </div>
            """ : nil
        let rate: HTML? =
            view.canRate
            ? "<p><a class=\"button\" href=\"/danh-gia/\(view.code.value)\">Đánh giá mức độ hài lòng</a></p>" : nil
        return """
            <section class="panel result" aria-labelledby="ket-qua-tra-cuu" role="status">
            <h2 id="ket-qua-tra-cuu">Hồ sơ \(view.code.value)</h2>
            \(DossierPage.facts(rows))\(missing)\(rate)
            </section>
            """
    }
}
