import Foundation
import HTTP
import Synchronization
import Testing

/// The router's table run in process through its `Responder`: no socket.
@Suite struct ResponderTests {
    /// A context that records which middleware a request went through.
    private struct Trail: Sendable {
        var steps: [String] = []
        func adding(_ step: String) -> Trail { Trail(steps: steps + [step]) }
    }

    private static func mark(_ step: String) -> MiddlewareClosure<Trail> {
        MiddlewareClosure { request, context, next in try await next(request, context.adding(step)) }
    }

    private static func answerTrail(_ request: Request, _ context: Trail) -> Response {
        .text(context.steps.joined(separator: ">"))
    }

    private func get(_ responder: Responder, _ path: String, method: String = "GET") async -> Response {
        await responder.respond(to: Request(method: method, path: path, requestId: "test-1"))
    }

    private func problem(_ response: Response) throws -> ProblemDocument {
        try JSONDecoder().decode(ProblemDocument.self, from: Data(response.body))
    }

    @Test func globalMiddlewareRunsFirstThenOuterGroupThenInnerGroup() async throws {
        let router = Router<Trail>()
        let api = router.group("/api").add(middleware: Self.mark("api"))
        let dossiers = api.group("dossiers/").add(middleware: Self.mark("dossiers"))
        dossiers.get(":code", Self.answerTrail)
        api.get("/ping", Self.answerTrail)
        router.get("/open", Self.answerTrail)
        router.add(middleware: Self.mark("global"))  // applies to routes registered before it too
        let responder = router.responder { _ in Trail() }

        #expect(
            String(decoding: await get(responder, "/api/dossiers/H01").body, as: UTF8.self) == "global>api>dossiers")
        #expect(String(decoding: await get(responder, "/api/ping").body, as: UTF8.self) == "global>api")
        #expect(String(decoding: await get(responder, "/open").body, as: UTF8.self) == "global")
    }

    @Test func groupWithPrefixOnlyIsTheEmptyPattern() async throws {
        let router = Router<Void>()
        router.group("/api/dossiers").post("") { _, _ in .text("created", status: 201) }
        let responder = router.responder { _ in () }
        let response = await responder.respond(to: Request(method: "POST", path: "/api/dossiers/", requestId: "t"))
        #expect(response.status == 201)
    }

    @Test func middlewareCanAnswerWithoutCallingTheHandler() async throws {
        let reached = Mutex(false)
        let router = Router<Void>()
        router.group("/staff")
            .add(
                middleware: MiddlewareClosure { request, context, next in
                    guard request.headers["Authorization"] != nil else {
                        throw ProblemError(
                            status: 401, code: "unauthenticated", title: "Chưa đăng nhập", detail: "Cần đăng nhập.")
                    }
                    return try await next(request, context)
                }
            )
            .get("/inbox") { _, _ in
                reached.withLock { $0 = true }
                return .noContent
            }
        let response = await get(router.responder { _ in () }, "/staff/inbox")
        #expect(response.status == 401)
        #expect(try problem(response).code == "unauthenticated")
        #expect(reached.withLock { $0 } == false)
    }

    @Test func headIsAnsweredByTheGetRouteWithItsHeadersAndNoBody() async throws {
        let router = Router<Void>()
        router.get("/procedures") { _, _ in .text("thủ tục") }
        let responder = router.responder { _ in () }
        let head = await get(responder, "/procedures", method: "HEAD")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head.headers["Content-Length"] == String("thủ tục".utf8.count))
        #expect(head.headers["Content-Type"] == "text/plain; charset=utf-8")
    }

    @Test func unknownPathIs404AndKnownPathWithOtherMethodIs405WithAllow() async throws {
        let router = Router<Void>()
        router.get("/dossiers/:code") { _, _ in .noContent }
        router.put("/dossiers/:code") { _, _ in .noContent }
        let responder = router.responder { _ in () }
        let missing = await get(responder, "/elsewhere")
        #expect(missing.status == 404)
        #expect(try problem(missing).code == "route_not_found")
        let wrong = await get(responder, "/dossiers/H01", method: "DELETE")
        #expect(wrong.status == 405)
        #expect(wrong.headers["Allow"] == "GET, PUT")
    }

    @Test func typedPathAndQueryParametersAre400ProblemsNamingTheParameter() async throws {
        let router = Router<Void>()
        router.get("/pages/:number") { request, _ in
            let number = try request.require("number", as: Int.self)
            let limit = try request.query.require("limit", as: Int.self)
            let offset = try request.query.optional("offset", as: Int.self) ?? 0
            return .text("\(number) \(limit) \(offset)")
        }
        let responder = router.responder { _ in () }

        let fine = await get(responder, "/pages/3")
        #expect(fine.status == 400)
        let missing = try problem(fine)
        #expect(missing.code == "missing_parameter")
        #expect(missing.detail.contains("\"limit\""))

        let request = Request(
            method: "GET", path: "/pages/3", query: QueryParameters([("limit", "20")]), requestId: "t")
        #expect(String(decoding: await responder.respond(to: request).body, as: UTF8.self) == "3 20 0")

        let badPath = try problem(await get(responder, "/pages/ba"))
        #expect(badPath.code == "invalid_parameter")
        #expect(badPath.detail == "Tham số \"number\" có giá trị không hợp lệ.")

        let badQuery = Request(
            method: "GET", path: "/pages/3", query: QueryParameters([("limit", "20"), ("offset", "x")]), requestId: "t")
        let offset = try problem(await responder.respond(to: badQuery))
        #expect(offset.status == 400)
        #expect(offset.code == "invalid_parameter")
        #expect(offset.detail.contains("\"offset\""))
    }

    @Test func anyHTTPResponseErrorIsRenderedAsItsProblem() async throws {
        struct IllegalTransition: HTTPResponseError {
            var problem: ProblemError {
                .conflict(code: "illegal_transition", detail: "Hồ sơ đã trả kết quả, không thể yêu cầu bổ sung.")
            }
        }
        let router = Router<Void>()
        router.post("/dossiers/:code/supplements") { _, _ in throw IllegalTransition() }
        let response = await router.responder { _ in () }
            .respond(to: Request(method: "POST", path: "/dossiers/H01/supplements", requestId: "req-9"))
        #expect(response.status == 409)
        #expect(response.headers["Content-Type"] == "application/problem+json")
        let document = try problem(response)
        #expect(
            document
                == ProblemDocument(
                    type: "https://motcua.gov.vn/problems/illegal_transition", title: "Xung đột trạng thái",
                    status: 409,
                    detail: "Hồ sơ đã trả kết quả, không thể yêu cầu bổ sung.", code: "illegal_transition",
                    instance: "/dossiers/H01/supplements", requestId: "req-9"))
    }

    @Test func fieldErrorsListEveryBadFieldInOne422() async throws {
        let router = Router<Void>()
        router.post("/dossiers") { _, _ in
            var errors = FieldErrors()
            #expect(errors.isEmpty)
            errors.add(field: "applicant.fullName", code: "required", detail: "Cần họ và tên.")
            errors.add(field: "applicant.phone", code: "invalid_format", detail: "Số điện thoại không đúng định dạng.")
            errors.add(field: "procedureCode", code: "unknown", detail: "Không có thủ tục này.")
            try errors.throwIfAny()
            return .noContent
        }
        let response = await router.responder { _ in () }
            .respond(to: Request(method: "POST", path: "/dossiers", requestId: "t"))
        #expect(response.status == 422)
        let document = try problem(response)
        #expect(document.code == "validation_failed")
        #expect(document.errors?.map(\.field) == ["applicant.fullName", "applicant.phone", "procedureCode"])
        #expect(document.errors?.map(\.code) == ["required", "invalid_format", "unknown"])
    }

    @Test func bodyOverTheRoutesLimitIs413() async throws {
        let router = Router<Void>()
        router.post("/notes", body: .buffered(maximumBodySize: 8)) { _, _ in .noContent }
        let responder = router.responder { _ in () }
        let response = await responder.respond(
            to: Request(method: "POST", path: "/notes", body: Array("0123456789".utf8), requestId: "t"))
        #expect(response.status == 413)
    }
}
