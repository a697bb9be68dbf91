import HTTP
import HTTPTestSupport
import Synchronization
import Testing

/// Body limits are enforced while the body arrives, not after it: a chunked body is cut at its limit.
@Suite struct BodyLimitTests {
    // Bounds: in isolation every answer here comes within a second; the whole suite (2 cores, tests
    // that hold the cooperative threads) can delay a handler's Task by seconds, so the bounds are wider
    // while still far below what the unhardened server did (never, or the 30 s idle timeout).
    /// Streams chunks of 64 KiB until the server stops reading or `limit` passes; returns the
    /// response read afterwards and the time it took to come.
    private func endlessChunkedUpload(port: Int, path: String, limit: Duration) async throws -> (
        ClientResponse?, Duration
    ) {
        let started = ContinuousClock.now
        let connection = try RawConnection(port: port)
        connection.send("POST \(path) HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        let chunk = Array("10000\r\n".utf8) + [UInt8](repeating: 0x61, count: 1 << 16) + Array("\r\n".utf8)
        await connection.sendRepeatedly(chunk, for: limit)
        let response = await connection.readResponse(within: .seconds(1))
        return (response, ContinuousClock.now - started)
    }

    @Test func endlessChunkedBodyIsCutWithA413WithinASecond() async throws {
        let router = Router<Void>()
        router.post("/echo") { request, _ in .text("\(request.body.count)") }
        try await withServer(router) { server in
            let (response, elapsed) = try await endlessChunkedUpload(
                port: server.port, path: "/echo", limit: .seconds(20))
            #expect(response?.status == 413)
            #expect(elapsed < .seconds(15))
            #expect(server.logLines(containing: "\"status\":413").count == 1)
        }
    }

    @Test func endlessChunkedBodyToAStreamingRouteIsCutWithA413WithinASecond() async throws {
        let router = Router<Void>()
        router.post("/upload", body: .streaming(limit: 4 << 20)) { request, _ in
            var total = 0
            for try await chunk in request.bodyStream { total += chunk.count }
            return .text("\(total)")
        }
        try await withServer(router) { server in
            let (response, elapsed) = try await endlessChunkedUpload(
                port: server.port, path: "/upload", limit: .seconds(20))
            #expect(response?.status == 413)
            #expect(elapsed < .seconds(15))
        }
    }

    @Test func chunkedBodyToAnUnknownPathIsA404BeforeItIsRead() async throws {
        try await withServer { server in
            let (response, elapsed) = try await endlessChunkedUpload(
                port: server.port, path: "/nowhere", limit: .seconds(20))
            #expect(response?.status == 404)
            #expect(elapsed < .seconds(15))
        }
    }
}
