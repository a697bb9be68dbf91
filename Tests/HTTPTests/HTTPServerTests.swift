import HTTPTestSupport
import Foundation
import HTTP
import Testing

/// Requests and responses over a real socket.
@Suite struct HTTPServerTests {
    private struct Receipt: Codable, Equatable {
        let applicant: String
        let receivedAt: Date
        let pages: Int
    }

    private struct Boom: Error, CustomStringConvertible {
        var description: String { "password authentication failed for user \"intake\"" }
    }

    @Test func routesDispatchByPatternWithDecodedParametersAndQuery() async throws {
        let router = Router<Void>()
        router.get("/dossiers/:code") { request, _ in
            .text("show \(request.parameters["code"] ?? "?") q=\(request.query["q"] ?? "-")")
        }
        router.get("/dossiers/search") { request, _ in .text("search \(request.query.values("ward"))") }
        try await withServer(router) { server in
            let search = try await server.get("/dossiers/search?ward=1&ward=2")
            #expect(search.text == "search [\"1\", \"2\"]")
            let show = try await server.get("/dossiers/H01%2F22/?q=Nguy%E1%BB%85n+V%C4%83n")
            #expect(show.status == 200)
            #expect(show.text == "show H01/22 q=Nguyễn Văn")
        }
    }

    @Test func handlerSeesHeadersWhateverTheirCaseAndThePeerAddress() async throws {
        let router = Router<Void>()
        router.get("/whoami") { request, _ in
            .text("\(request.headers["X-Ward-Code"] ?? "-") \(request.remoteAddress ?? "-") \(request.method)")
        }
        try await withServer(router) { server in
            let response = try await server.get("/whoami", headers: [("x-ward-code", "26734")])
            #expect(response.text == "26734 127.0.0.1 GET")
        }
    }

    @Test func jsonBodyRoundTrips() async throws {
        let router = Router<Void>()
        router.post("/receipts") { request, _ in
            try .json(try request.decode(Receipt.self), status: 201)
        }
        let sent = Receipt(applicant: "Trần Thị Bình", receivedAt: Date(timeIntervalSince1970: 1_764_000_000), pages: 3)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        try await withServer(router) { server in
            let response = try await server.request(
                "POST", "/receipts", headers: [("Content-Type", "application/json; charset=utf-8")],
                body: Array(try encoder.encode(sent)))
            #expect(response.status == 201)
            #expect(response.headers["content-type"] == "application/json")
            #expect(try response.decode(Receipt.self) == sent)
            #expect(response.text.contains("\"receivedAt\":\"2025-11-24T16:00:00Z\""))
            #expect(response.headers["x-request-id"]?.count == 16)
        }
    }

    @Test func malformedJSONIsA400ProblemNamingTheCause() async throws {
        let router = Router<Void>()
        router.post("/receipts") { request, _ in try .json(try request.decode(Receipt.self)) }
        try await withServer(router) { server in
            let json = [("Content-Type", "application/json")]
            let broken = try await server.request("POST", "/receipts", headers: json, body: Array("{\"applicant\": ".utf8))
            #expect(broken.status == 400)
            #expect(broken.headers["content-type"] == "application/problem+json")
            let problem = try broken.decode(ProblemDocument.self)
            #expect(problem.code == "malformed_json")
            #expect(problem.type == "https://motcua.gov.vn/problems/malformed_json")
            #expect(problem.instance == "/receipts")
            #expect(problem.requestId == broken.headers["x-request-id"])
            #expect(problem.detail.hasPrefix("Nội dung yêu cầu không phải JSON hợp lệ"))

            let missing = try await server.request(
                "POST", "/receipts", headers: json, body: Array("{\"applicant\": \"An\"}".utf8))
            #expect(try missing.decode(ProblemDocument.self).detail.contains("\"receivedAt\""))
        }
    }

    @Test func nonJSONContentTypeIsA415Problem() async throws {
        let router = Router<Void>()
        router.post("/receipts") { request, _ in try .json(try request.decode(Receipt.self)) }
        try await withServer(router) { server in
            let response = try await server.request(
                "POST", "/receipts", headers: [("Content-Type", "text/plain")], body: Array("hello".utf8))
            #expect(response.status == 415)
            #expect(try response.decode(ProblemDocument.self).code == "unsupported_media_type")
        }
    }

    @Test func problemThrownByHandlerKeepsStatusAndFieldErrors() async throws {
        let router = Router<Void>()
        router.post("/receipts") { _, _ in
            throw ProblemError.unprocessable(
                detail: "Hồ sơ thiếu thông tin.",
                errors: [FieldError(field: "applicant.phone", code: "required", detail: "Cần số điện thoại.")])
        }
        try await withServer(router) { server in
            let response = try await server.request("POST", "/receipts", body: [])
            #expect(response.status == 422)
            let problem = try response.decode(ProblemDocument.self)
            #expect(problem.code == "validation_failed")
            #expect(
                problem.errors == [FieldError(field: "applicant.phone", code: "required", detail: "Cần số điện thoại.")]
            )
        }
    }

    @Test func unknownRouteIsA404Problem() async throws {
        try await withServer { server in
            let response = try await server.get("/nowhere/at-all")
            #expect(response.status == 404)
            #expect(response.headers["content-type"] == "application/problem+json")
            let problem = try response.decode(ProblemDocument.self)
            #expect(problem.code == "route_not_found")
            #expect(problem.detail.contains("/nowhere/at-all"))
        }
    }

    @Test func wrongMethodIsA405WithAllowHeader() async throws {
        let router = Router<Void>()
        router.get("/dossiers/:code") { _, _ in .noContent }
        router.put("/dossiers/:code") { _, _ in .noContent }
        try await withServer(router) { server in
            let response = try await server.request("DELETE", "/dossiers/H01")
            #expect(response.status == 405)
            #expect(response.headers["allow"] == "GET, PUT")
            #expect(try response.decode(ProblemDocument.self).code == "method_not_allowed")
        }
    }

    @Test func declaredBodyOverTheLimitIsRefusedBeforeItIsSent() async throws {
        let router = Router<Void>()
        router.post("/documents", body: .buffered(maximumBodySize: 1024)) { _, _ in .noContent }
        try await withServer(router) { server in
            // Only the head is sent: the answer must come without waiting for the body.
            let head = "POST /documents HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\nConnection: close\r\n\r\n"
            let response = try await TestClient.send(port: server.port, raw: Array(head.utf8))
            #expect(response.status == 413)
            #expect(try response.decode(ProblemDocument.self).code == "payload_too_large")
        }
    }

    @Test func streamedBodyOverTheLimitIsA413() async throws {
        let router = Router<Void>()
        router.post("/documents", body: .buffered(maximumBodySize: 1024)) { request, _ in
            .text("\(request.body.count)")
        }
        try await withServer(router) { server in
            let chunk = "200\r\n" + String(repeating: "a", count: 512) + "\r\n"
            let head = "POST /documents HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            let tooLarge = try await TestClient.send(
                port: server.port, raw: Array((head + String(repeating: chunk, count: 8) + "0\r\n\r\n").utf8))
            #expect(tooLarge.status == 413)
            #expect(try tooLarge.decode(ProblemDocument.self).code == "payload_too_large")

            let atLimit = try await TestClient.send(
                port: server.port, raw: Array((head + String(repeating: chunk, count: 2) + "0\r\n\r\n").utf8))
            #expect(atLimit.status == 200)
            #expect(atLimit.text == "1024")
        }
    }

    @Test func unexpectedErrorIsA500WithTheRequestIdButNotTheErrorText() async throws {
        let router = Router<Void>()
        router.get("/fail") { _, _ in throw Boom() }
        try await withServer(router) { server in
            let response = try await server.get("/fail")
            #expect(response.status == 500)
            #expect(!response.text.contains("password"))
            let problem = try response.decode(ProblemDocument.self)
            #expect(problem.code == "internal_error")
            #expect(problem.requestId == response.headers["x-request-id"])
            #expect(problem.detail.contains(problem.requestId))
            let logged = server.logLines(containing: "\"level\":\"error\"", "\"requestId\":\"\(problem.requestId)\"")
            #expect(logged.count == 1)
            #expect(logged.first?.contains("password authentication failed") == true)
        }
    }

    @Test func saneIncomingRequestIdIsKeptAndAnyOtherReplaced() async throws {
        try await withServer { server in
            let kept = try await server.get("/healthz", headers: [("X-Request-Id", "gw-7f3a.01")])
            #expect(kept.headers["x-request-id"] == "gw-7f3a.01")
            let replaced = try await server.get("/healthz", headers: [("X-Request-Id", "a\"b}{")])
            #expect(replaced.headers["x-request-id"]?.count == 16)
            #expect(replaced.headers["x-request-id"] != "a\"b}{")
            let longest = String(repeating: "a", count: 64)
            let kept64 = try await server.get("/healthz", headers: [("X-Request-Id", longest)])
            #expect(kept64.headers["x-request-id"] == longest)
            let tooLong = try await server.get("/healthz", headers: [("X-Request-Id", longest + "a")])
            #expect(tooLong.headers["x-request-id"]?.count == 16)
        }
    }
}
