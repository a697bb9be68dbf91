import AsyncTestSupport
import HTTP
import HTTPTestSupport
import Testing

/// Slow and idle clients: per-address connection limits and the deadlines for header fields and bodies.
@Suite struct ConnectionLimitTests {
    // Bounds: in isolation every answer here comes within a second; the whole suite (2 cores, tests
    // that hold the cooperative threads) can delay a handler's Task by seconds, so the bounds are wider
    // while still far below what the unhardened server did (never, or the 30 s idle timeout).
    private static let small = HTTPServer.Configuration(
        port: 0, connectionLimit: 32, perAddressConnectionLimit: 8, headerTimeout: .seconds(1), bodyTimeout: .seconds(1)
    )

    @Test func slowClientsFromAnotherAddressCannotLockOutAFreshClient() async throws {
        try await withServer(configuration: Self.small) { server in
            // More slow connections than the whole server's limit, all from "another host".
            var slow: [RawConnection] = []
            for _ in 0..<40 {
                guard let connection = try? RawConnection(port: server.port, from: "127.0.0.2") else { continue }
                connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n")
                slow.append(connection)
            }
            let started = ContinuousClock.now
            let fresh = try RawConnection(port: server.port)
            fresh.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = await fresh.readResponse(within: .seconds(10))
            #expect(response?.status == 200)
            #expect(ContinuousClock.now - started < .seconds(10))
            withExtendedLifetime(slow) {}
        }
    }

    @Test func headerFieldsSentByteByByteAreCutAtTheHeaderDeadline() async throws {
        try await withServer(configuration: Self.small) { server in
            let connection = try RawConnection(port: server.port, from: "127.0.0.2")
            let started = ContinuousClock.now
            var closed = false
            // A byte every 100 ms would reset an idle timeout forever; the deadline is 1 s.
            for byte in "GET /healthz HTTP/1.1\r\nX-Slow: \(String(repeating: "a", count: 150))".utf8 {
                guard connection.send([byte]) else {
                    closed = true
                    break
                }
                if await connection.isClosed(within: .milliseconds(100)) {
                    closed = true
                    break
                }
            }
            #expect(closed)
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }

    @Test func bodyNotFinishedWithinTheBodyDeadlineIsA408() async throws {
        let router = Router<Void>()
        router.post("/echo") { request, _ in .text("\(request.body.count)") }
        try await withServer(router, configuration: Self.small) { server in
            let connection = try RawConnection(port: server.port, from: "127.0.0.2")
            connection.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly ten b")
            let response = await connection.readResponse(within: .seconds(10))
            #expect(response?.status == 408)
            #expect(response?.headers["x-request-id"] != nil)
            #expect(server.logLines(containing: "\"status\":408").count == 1)
        }
    }

    @Test func stalledUploadsNearTheLimitAreBoundedByTheBodyBudget() async throws {
        var configuration = Self.small
        configuration.bodyTimeout = .seconds(60)
        configuration.perAddressConnectionLimit = 32
        configuration.bufferedBodyBudget = 4 << 20
        let router = Router<Void>()
        router.post("/echo") { request, _ in .text("\(request.body.count)") }
        try await withServer(router, configuration: configuration) { server in
            var connections: [RawConnection] = []
            for _ in 0..<12 {
                let connection = try RawConnection(port: server.port, from: "127.0.0.2")
                connection.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: \(1 << 20)\r\n\r\n")
                connections.append(connection)
            }
            // Refusals are answered (and logged) at once, on the server's own threads.
            try await eventually("the refusals") { server.logLines(containing: "\"status\":503").count >= 8 }
            var stalled: [RawConnection] = []
            var busy = 0
            for connection in connections {
                if let response = await connection.readResponse(within: .milliseconds(200)) {
                    #expect(response.status == 503)
                    busy += 1
                } else {
                    connection.send([UInt8](repeating: 0x61, count: (1 << 20) - 1))
                    stalled.append(connection)
                }
            }
            // 4 MiB of budget holds four 1 MiB bodies; the rest are refused before they are read.
            #expect(stalled.count == 4)
            #expect(busy == 8)
        }
    }
}
