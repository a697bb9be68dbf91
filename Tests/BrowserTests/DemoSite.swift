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

    static func router() -> Router {
        var router = Router()
        router.get(Stylesheet.path) { _ in Stylesheet.response() }
        router.get("/demo") { _ in .page(page(Form(action: "/demo", csrfToken: csrfToken))) }
        router.post("/demo") { request in
            let values = formFields(request.body)
            guard values[Form.csrfFieldName] == csrfToken else { return .text("CSRF", status: 403) }
            let errors = validate(values)
            guard errors.isEmpty else {
                return .page(
                    page(Form(action: "/demo", values: values, errors: errors, csrfToken: csrfToken)), status: 422)
            }
            let thanks: HTML = "<p class=\"confirmation\">Đã ghi nhận đăng ký của \(values["applicant.name"]).</p>"
            return .page(layout.page(title: "Đã ghi nhận", currentPath: "/demo", main: thanks))
        }
        router.get("/inline-style") { _ in
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

    /// An `application/x-www-form-urlencoded` body as name → value (the last value of a repeated name).
    static func formFields(_ body: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
            }
            fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }

    /// Runs `body` with the site on a loopback port, then shuts the server down.
    static func serve(_ body: (Int) async throws -> Void) async throws {
        let server = HTTPServer(
            configuration: .init(port: 0), router: router(),
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
