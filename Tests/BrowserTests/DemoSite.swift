import Foundation
import HTML
import HTTP
import Observability

/// A one-form site in the shared layout, served by today's `HTTPServer`: the stylesheet, a form
/// asking for a name and a phone number, and its answer (422 with the form again, or a thank-you).
enum DemoSite {
    static let csrfToken = "demo-csrf-token"

    static let layout = Layout(
        unitName: "UBND phường Bến Thành", serviceName: "Tiếp nhận hồ sơ",
        navigation: [
            NavigationItem("Đăng ký nhận tin", path: "/demo"), NavigationItem("Tra cứu hồ sơ", path: "/tra-cuu"),
        ])

    /// The demo needs nothing per request.
    struct Context: Sendable {}

    static func router() -> Router<Context> {
        let router = Router<Context>()
        router.get(Stylesheet.path) { _, _ in Stylesheet.response() }
        router.get("/demo") { _, _ in .page(page(Form(action: "/demo", csrfToken: csrfToken))) }
        router.post("/demo") { request, _ in
            let values = Dictionary(try request.form().items.map { ($0.name, $0.value) }) { _, last in last }
            guard values[Form.csrfFieldName] == csrfToken else { return .text("CSRF", status: 403) }
            let errors = validate(values)
            guard errors.isEmpty else {
                return .page(
                    page(Form(action: "/demo", values: values, errors: errors, csrfToken: csrfToken)), status: 422)
            }
            let thanks: HTML = "<p class=\"confirmation\">Đã ghi nhận đăng ký của \(values["applicant.name"]).</p>"
            return .page(layout.page(title: "Đã ghi nhận", currentPath: "/demo", main: thanks))
        }
        router.get("/inline-style") { _, _ in
            .page(layout.page(title: "Trang sai", main: "<p style=\"color: red\">Kiểu viết trong trang</p>"))
        }
        return router
    }

    static func page(_ form: Form) -> HTML {
        let main = form.render(submit: "Gửi đăng ký") {
            form.text("applicant.name", label: "Họ và tên", autocomplete: "name")
            form.text(
                "applicant.phone", label: "Số điện thoại", hint: "10 chữ số, ví dụ 0912345678", type: .tel,
                autocomplete: "tel")
        }
        return layout.page(title: "Đăng ký nhận tin", currentPath: "/demo", main: main)
    }

    static func validate(_ values: [String: String]) -> [FieldError] {
        var errors: [FieldError] = []
        if (values["applicant.name"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            errors.append(FieldError(field: "applicant.name", code: "required", detail: "Vui lòng nhập họ và tên."))
        }
        let phone = values["applicant.phone"] ?? ""
        if phone.count != 10 || !phone.hasPrefix("0") || !phone.allSatisfy(\.isASCII) || !phone.allSatisfy(\.isNumber) {
            errors.append(
                FieldError(
                    field: "applicant.phone", code: "invalid_format",
                    detail: "Số điện thoại phải gồm 10 chữ số và bắt đầu bằng số 0."))
        }
        return errors
    }

    /// Runs `body` with the site on a loopback port, then shuts the server down.
    static func serve(_ body: (Int) async throws -> Void) async throws {
        let server = HTTPServer(
            configuration: .init(port: 0), responder: router().responder { _ in Context() },
            logger: Logger(service: "browser-tests", level: .warning, sink: .memory()), metrics: MetricsRegistry())
        try server.start()
        do {
            try await body(server.port)
        } catch {
            await server.shutdown(timeout: .seconds(2))
            throw error
        }
        await server.shutdown(timeout: .seconds(2))
    }
}
