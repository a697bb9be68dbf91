import Domain
import HTML
import HTTP
import ServiceKit

/// `/danh-gia/{code}`: a citizen rates the service for a returned dossier, 1–5 and a comment, once
/// (`PublicRoutes.rate`, the API's code path), proving the dossier with the phone's last 4 digits.
struct RatingPage {
    let routes: PublicRoutes

    static let scores = [
        SelectOption("5", label: "5 – Rất hài lòng"), SelectOption("4", label: "4 – Hài lòng"),
        SelectOption("3", label: "3 – Bình thường"), SelectOption("2", label: "2 – Chưa hài lòng"),
        SelectOption("1", label: "1 – Không hài lòng"),
    ]

    func show(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let code = try request.require("code", as: DossierCode.self)
        return try await render(code, values: ["score": "5"], context)
    }

    func submit(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let code = try request.require("code", as: DossierCode.self)
        let values = try IntakePages.values(of: request)
        let body = PublicRoutes.RatingRequest(
            phone: values["phone"], score: values["score"].flatMap { Int($0) }, comment: values["comment"])
        do {
            try await routes.rate(code, body, client: request.clientAddress, context: context)
        } catch let error as HTTPResponseError where [404, 409, 422, 429].contains(error.problem.status) {
            let problem = error.problem
            let errors = problem.errors ?? [FieldError(field: "", code: problem.code, detail: problem.detail)]
            return try await render(code, values: values, errors: errors, status: problem.status, context)
        }
        let main: HTML = """
            <div class="notice notice--success" role="status"><p><strong>Cảm ơn Ông/Bà đã đánh giá.</strong> \
            Ý kiến của Ông/Bà giúp Bộ phận Một cửa phục vụ tốt hơn.</p></div>
            <p><a href="\(LookupPage.path)?ma=\(code.value)">Xem lại hồ sơ \(code.value)</a></p>
            """
        let unitName = try await SubmissionPage.deploymentUnitName(context)
        return .page(IntakePages.citizenLayout(unitName: unitName).page(title: "Đã gửi đánh giá", main: main))
    }

    private func render(
        _ code: DossierCode, values: [String: String], errors: [FieldError] = [], status: Int = 200,
        _ context: ServiceRequestContext
    ) async throws -> Response {
        let form = Form(action: "/danh-gia/\(code.value)", values: values, errors: errors)
        let main: HTML = """
            <p>Hồ sơ <strong>\(code.value)</strong>. Mỗi hồ sơ được đánh giá một lần, sau khi đã nhận kết quả.</p>
            \(form.render(submit: "Gửi đánh giá") {
                form.text("phone", label: "4 số cuối số điện thoại đã đăng ký", type: .tel, autocomplete: "off")
                form.select("score", label: "Mức độ hài lòng", options: Self.scores)
                form.textArea("comment", label: "Góp ý (nếu có)", hint: "Tối đa 2000 ký tự", rows: 4)
            })
            """
        let unitName = try await SubmissionPage.deploymentUnitName(context)
        return .page(
            IntakePages.citizenLayout(unitName: unitName).page(title: "Đánh giá mức độ hài lòng", main: main),
            status: status)
    }
}
