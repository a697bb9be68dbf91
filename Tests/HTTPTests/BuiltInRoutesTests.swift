import HTTP
import Testing

/// `/healthz`, `/readyz`, `/metrics` and the access log, present in every server.
@Suite struct BuiltInRoutesTests {
    private struct Readiness: Decodable {
        struct Check: Decodable {
            let name: String
            let ok: Bool
            let message: String?
        }
        let status: String
        let checks: [Check]
    }

    @Test func healthzAnswersOk() async throws {
        try await withServer { server in
            let response = try await server.get("/healthz")
            #expect(response.status == 200)
            #expect(response.text == "{\"status\":\"ok\"}")
        }
    }

    @Test func readyzIs200WhenEveryCheckPasses() async throws {
        try await withServer(readiness: { ReadinessReport(checks: [.passing("database"), .passing("migrations")]) }) {
            server in
            let response = try await server.get("/readyz")
            #expect(response.status == 200)
            let report = try response.decode(Readiness.self)
            #expect(report.status == "ready")
            #expect(report.checks.map(\.name) == ["database", "migrations"])
        }
    }

    @Test func readyzIs503WhenACheckFails() async throws {
        let readiness: @Sendable () async -> ReadinessReport = {
            ReadinessReport(checks: [.passing("database"), .failing("consumers", message: "outbox relay stopped")])
        }
        try await withServer(readiness: readiness) { server in
            let response = try await server.get("/readyz")
            #expect(response.status == 503)
            let report = try response.decode(Readiness.self)
            #expect(report.status == "not_ready")
            #expect(report.checks.last?.ok == false)
            #expect(report.checks.last?.message == "outbox relay stopped")
        }
    }

    @Test func metricsCountRequestsAndLatencyByRoutePattern() async throws {
        let router = Router<Void>()
        router.get("/dossiers/:code") { _, _ in .noContent }
        try await withServer(router) { server in
            for code in ["A1", "B2", "C3"] { _ = try await server.get("/dossiers/\(code)") }
            _ = try await server.get("/unknown/path")
            let response = try await server.get("/metrics")
            #expect(response.status == 200)
            #expect(response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
            let text = response.text
            #expect(text.contains("http_requests_total{method=\"GET\",route=\"/dossiers/:code\",status=\"204\"} 3\n"))
            #expect(text.contains("http_request_duration_seconds_count{method=\"GET\",route=\"/dossiers/:code\"} 3\n"))
            #expect(
                text.contains(
                    "http_request_duration_seconds_bucket{method=\"GET\",route=\"/dossiers/:code\",le=\"+Inf\"} 3\n"))
            #expect(text.contains("http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1\n"))
            #expect(text.contains("# TYPE http_requests_in_flight gauge"))
            #expect(!text.contains("A1"))
        }
    }

    @Test func accessLogHasOneLinePerRequestWithoutTheQueryString() async throws {
        let router = Router<Void>()
        router.get("/lookup") { _, _ in .text("found") }
        try await withServer(router) { server in
            let response = try await server.get("/lookup?phone=0912345678&name=An")
            let requestId = try #require(response.headers["x-request-id"])
            let lines = server.logLines(containing: "\"msg\":\"request\"", requestId)
            #expect(lines.count == 1)
            let line = try #require(lines.first)
            for field in [
                "\"method\":\"GET\"", "\"route\":\"/lookup\"", "\"path\":\"/lookup\"", "\"status\":200", "\"bytes\":5",
                "\"durationMs\":",
            ] {
                #expect(line.contains(field), "missing \(field) in \(line)")
            }
            #expect(!line.contains("phone"))
            #expect(!line.contains("name=An"))
        }
    }
}
