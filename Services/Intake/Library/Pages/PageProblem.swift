import HTML
import HTTP
import ServiceKit

/// Middleware that answers a page's problem (not signed in, no role, no such dossier, too many
/// tries) as a page in the layout with the problem's Vietnamese detail, instead of problem JSON;
/// any other error goes on to the responder (a 500 with the request id).
struct PageProblem: Middleware {
    typealias Context = ServiceRequestContext

    /// Whose pages: the counter's (with a link to sign in) or the citizens'.
    enum Audience: Sendable {
        case staff
        case citizen
    }

    let audience: Audience

    func handle(
        _ request: Request, context: ServiceRequestContext,
        next: @Sendable (Request, ServiceRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPResponseError {
            let problem = error.problem
            let unitName = context.service.configuration.wardCode
            let layout =
                audience == .staff
                ? IntakePages.staffLayout(unitName: "Đơn vị \(unitName)")
                : IntakePages.citizenLayout(unitName: "Đơn vị \(unitName)")
            let signIn: HTML? =
                problem.status == 401
                ? "<p><a class=\"button\" href=\"\(Self.signInLink(after: request))\">Đăng nhập</a></p>" : nil
            // A form that never reached its page (a NUL or an overlong text): each field's message.
            let fields: HTML? = problem.errors.map { errors in
                "<ul>\(errors.map { error -> HTML in "<li>\(error.field): \(error.detail)</li>" })</ul>"
            }
            let main: HTML = """
                <div class="notice notice--problem" role="alert">
                <p>\(problem.detail)</p>
                \(fields)
                <p class="muted">Mã lỗi: \(problem.code) · Mã yêu cầu: \(context.requestId)</p>
                </div>
                \(signIn)
                """
            return Response.page(layout.page(title: problem.title, main: main), status: problem.status)
        }
    }

    /// The sign-in page, coming back to the page asked for (a post's page cannot be asked again).
    static func signInLink(after request: Request) -> String {
        guard request.method == "GET" else { return IntakePages.signInPath }
        return IntakePages.signInPath + "?" + IntakePages.query([("next", request.path)])
    }
}
