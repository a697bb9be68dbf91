import Foundation
import HTML
import HTTP
import ServiceKit

/// `/dang-nhap`: a staff member signs in on a page. The form posts to the same code as
/// `POST /api/auth/login` (`SignIn.signIn`: the back-off, the throttle, the audit), whose cookies
/// (the HttpOnly session and the refresh token) the page passes on with a 303 to where the staff
/// member was going; a refusal is shown beside its field.
struct SignInPage {
    let signIn: SignIn

    func add(to router: Router<ServiceRequestContext>) {
        router.get(IntakePages.signInPath) { request, context in
            try await render(values: ["next": Self.safeNext(request.query["next"])], context)
        }
        router.post(IntakePages.signInPath) { request, context in try await submit(request, context) }
    }

    private func submit(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        // No session yet, so no CSRF token: a post another site's page made is refused by what
        // the browser says of its origin.
        try CSRF.requireSameOrigin(request)
        let values = try IntakePages.values(of: request)
        let next = Self.safeNext(values["next"])
        let answer: Response
        do {
            answer = try await signIn.signIn(
                username: values["username"], password: values["password"], client: SignIn.client(of: request), context)
        } catch let error as HTTPResponseError {
            let problem = error.problem
            let errors = problem.errors ?? [FieldError(field: "password", code: problem.code, detail: problem.detail)]
            return try await render(
                values: ["username": values["username"] ?? "", "next": next], errors: errors,
                status: problem.status, context)
        }
        guard answer.status == 200 else {
            // Waiting after wrong passwords: the answer is a problem saying until when.
            let problem = try JSONDecoder().decode(ProblemDocument.self, from: Data(answer.body))
            return try await render(
                values: ["username": values["username"] ?? "", "next": next],
                errors: [FieldError(field: "password", code: problem.code, detail: problem.detail)],
                status: answer.status,
                context)
        }
        var redirect = IntakePages.redirect(to: next)
        for cookie in answer.headers.values("Set-Cookie") { redirect.headers.add("Set-Cookie", cookie) }
        return redirect
    }

    private func render(
        values: [String: String], errors: [FieldError] = [], status: Int = 200, _ context: ServiceRequestContext
    ) async throws -> Response {
        let unit = context.service.configuration.wardCode
        let name = try await context.transaction(.unit(unit)) { tx in try await IntakePages.unitName(unit, in: tx) }
        let form = Form(action: IntakePages.signInPath, values: values, errors: errors)
        let main: HTML = """
            <p>Đăng nhập bằng tài khoản cán bộ do quản trị viên cấp.</p>
            \(form.render(submit: "Đăng nhập") {
                form.hidden("next", value: values["next"] ?? "/ho-so")
                form.text("username", label: "Tên đăng nhập", autocomplete: "username")
                form.text("password", label: "Mật khẩu", type: .password, autocomplete: "current-password")
            })
            """
        return .page(
            IntakePages.staffLayout(unitName: name).page(
                title: "Đăng nhập", currentPath: IntakePages.signInPath, main: main),
            status: status)
    }

    /// Where to go after signing in: one of our own pages, never another site. The (decoded)
    /// value must be one `/` followed by neither `/` nor `\\`, with no control character anywhere:
    /// browsers drop tabs and line ends from a URL, so `/\t/evil.example` would be `//evil.example`.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.first == "/",
            next.unicodeScalars.allSatisfy({ $0.properties.generalCategory != .control && $0 != "\\" }),
            next.dropFirst().first != "/"
        else { return "/ho-so" }
        return next
    }
}
