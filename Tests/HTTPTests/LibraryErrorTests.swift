import HTTP
import HTTPTestSupport
import Testing

/// Errors libmicrohttpd answers by itself (431, 414, …) are counted, and its warnings cannot flood the log.
@Suite struct LibraryErrorTests {
    @Test func headerFieldsTooLargeForTheConnectionAreCountedInMetrics() async throws {
        var configuration = HTTPServer.Configuration(port: 0)
        configuration.connectionMemoryLimit = 16 << 10
        try await withServer(configuration: configuration) { server in
            let connection = try RawConnection(port: server.port)
            connection.send(
                "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 32 << 10))\r\n\r\n")
            let response = await connection.readResponse(within: .seconds(10))
            #expect(response.map { $0.status >= 400 } == true)
            let metrics = try await server.get("/metrics").text
            #expect(metrics.contains("http_library_errors_total{status=\"\(response?.status ?? 0)\"} 1"))
        }
    }

    @Test func warningsAboutAbortedConnectionsAreRateLimited() async throws {
        var configuration = HTTPServer.Configuration(port: 0)
        configuration.connectionMemoryLimit = 16 << 10
        try await withServer(configuration: configuration) { server in
            let started = ContinuousClock.now
            for _ in 0..<60 {
                let connection = try RawConnection(port: server.port)
                connection.send(
                    "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 32 << 10))\r\n\r\n")
                _ = await connection.isClosed(within: .seconds(1))
            }
            let warnings = server.logLines(containing: "libmicrohttpd")
            // At most 10 lines per 10 s window (a loaded machine may span two windows).
            let windows = Int((ContinuousClock.now - started) / .seconds(10)) + 1
            #expect(warnings.count <= 10 * windows)
            #expect(warnings.count < 60)
            #expect(!warnings.isEmpty)
        }
    }
}
