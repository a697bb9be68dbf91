import Foundation
import HTTPTestSupport
import Testing

/// The front door (deploy/nginx) as a client sees it: one port for the whole ward, each path on its
/// service, a request id from the edge, JSON access lines, rate limits only where citizens and
/// sign-in are, and hostile clients stopped before they reach a service.
@Suite(.serialized) struct FrontDoorTests {
    @Test func everyPrefixOfTheTableReachesItsServiceAndEachHealthIsReachable() async throws {
        try await withFrontDoor { door in
            for (service, paths) in FrontDoor.table {
                for path in paths {
                    let response = try await door.get(path)
                    #expect(response.status == 200, "\(path)")
                    #expect(response.text.hasPrefix("\(service) "), "\(path) → \(response.text)")
                }
                #expect(try await door.get("/\(service)/healthz").status == 200, "\(service)")
            }
            #expect(try await door.get("/api/dossiersX").status == 404)
            #expect(try await door.get("/nowhere").status == 404)
        }
    }

    @Test func requestIdIsMadeAtTheEdgePassedOnAndLoggedAsJSON() async throws {
        try await withFrontDoor { door in
            let response = try await door.get("/api/dossiers", headers: [("X-Request-Id", "forged\nline")])
            let id = try #require(response.headers["x-request-id"])
            #expect(id.count == 32)
            #expect(response.text == "intake \(id)")
            let line = try #require(try await door.accessLog(containing: id).last { $0.contains(id) })
            let fields = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(fields?["status"] as? Int == 200)
            #expect(fields?["upstream"] as? String == "intake")
        }
    }

    /// Behind a Kubernetes ingress (here 127.0.0.2), the citizen is the address the ingress names;
    /// anyone else's X-Forwarded-For is ignored.
    @Test func behindAnIngressTheClientIsTheAddressItForwardsAndNooneElseCanNameOne() async throws {
        try await withFrontDoor(realIPFrom: "127.0.0.2") { door in
            func remote(from source: String, forwarding forwarded: String) async throws -> String? {
                let response = try await door.get(
                    "/api/dossiers", headers: [("X-Forwarded-For", forwarded)], from: source)
                let id = try #require(response.headers["x-request-id"])
                let line = try #require(try await door.accessLog(containing: id).last { $0.contains(id) })
                let fields = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                return fields?["remote"] as? String
            }
            let forwarded = try await remote(from: "127.0.0.2", forwarding: "198.51.100.7")
            let forged = try await remote(from: "127.0.0.3", forwarding: "198.51.100.8")
            #expect(forwarded == "198.51.100.7")
            #expect(forged == "127.0.0.3")
        }
    }

    @Test func publicAndSignInEndpointsAreRateLimitedAndStaffEndpointsAreNot() async throws {
        try await withFrontDoor { door in
            // Sent at once, so the burst (20) is passed however slowly a loaded machine answers.
            let publicStatuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<60 {
                    group.addTask { try await door.get("/api/public/dossiers/H01-2026-000001").status }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(publicStatuses.contains(429))
            var signIn: [Int] = []
            for _ in 0..<10 {
                signIn.append(
                    try await TestClient.request(port: door.port, method: "POST", path: "/api/auth/login", body: [])
                        .status)
            }
            #expect(signIn.contains(429))
            for _ in 0..<100 { #expect(try await door.get("/api/dossiers").status == 200) }
        }
    }

    @Test func citizensPagesAreLimitedPerClientAndAnsweredWithAPageOrAProblem() async throws {
        try await withFrontDoor { door in
            // Sent at once from 127.0.0.2, so the burst (20) is passed however slowly a loaded machine answers.
            func flood(_ path: String) async throws -> [ClientResponse] {
                try await withThrowingTaskGroup(of: ClientResponse.self) { group in
                    for _ in 0..<60 { group.addTask { try await door.get(path, from: "127.0.0.2") } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
            for path in ["/tra-cuu", "/nop-truc-tuyen", "/danh-gia/H01-2026-000001", "/dang-nhap"] {
                let refused = try #require(try await flood(path).first { $0.status == 429 }, "\(path)")
                #expect(refused.headers["content-type"]?.hasPrefix("text/html") == true, "\(path)")
                #expect(refused.text.contains("/assets/motcua.css") && refused.text.contains("Quá nhiều yêu cầu"))
                #expect(try await door.get(path, from: "127.0.0.3").status == 200, "\(path) from another client")
            }
            let refused = try #require(
                try await flood("/api/public/dossiers/H01-2026-000001").first { $0.status == 429 })
            #expect(refused.headers["content-type"] == "application/problem+json")
            let problem = try JSONSerialization.jsonObject(with: Data(refused.body)) as? [String: Any]
            #expect(problem?["status"] as? Int == 429)
            #expect(problem?["code"] as? String == "too_many_requests")
            #expect(problem?["requestId"] as? String == refused.headers["x-request-id"])
        }
    }

    @Test func ambiguousFramingIsRefusedOnceAndNothingIsSmuggled() async throws {
        try await withFrontDoor { door in
            let smuggle = "GET /api/dossiers/smuggled HTTP/1.1\r\nHost: x\r\n\r\n"
            let cases = [
                "POST /api/dossiers HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 40\r\n\r\nhello",
                "POST /api/dossiers HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
                "POST /api/dossiers HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n\r\n",
                "POST /api/dossiers HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n",
                "POST /api/dossiers HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
                "POST /api/dossiers HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
                "GET /api/dossiers HTTP/1.1\r\n\r\n",
            ]
            for request in cases {
                let connection = try RawConnection(port: door.port)
                connection.send(request + smuggle)
                let bytes = try #require(await connection.readToEnd(within: .seconds(3)), "\(request)")
                let lines = TestClient.statusLines(in: bytes)
                #expect(lines.count == 1, "\(request) → \(lines)")
                #expect(lines.first.map { $0.hasPrefix("HTTP/1.1 400") || $0.hasPrefix("HTTP/1.1 501") } == true)
            }
            // Each nginx worker flushes its buffered log on its own (within a second): wait for the lines.
            func refusals(_ log: [String]) -> Int {
                log.filter { $0.contains("\"status\":400") || $0.contains("\"status\":501") }.count
            }
            let deadline = ContinuousClock.now + .seconds(10)
            while refusals(door.accessLog) < cases.count, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            try await Task.sleep(for: .milliseconds(1500))  // and a smuggled line, if any, would be flushed too
            let log = door.accessLog
            #expect(refusals(log) == cases.count)
            #expect(!log.contains { $0.contains("/api/dossiers/smuggled") })
        }
    }

    @Test func headOnAPageIsItsHeadersWithoutABody() async throws {
        try await withFrontDoor { door in
            let connection = try RawConnection(port: door.port)
            connection.send("HEAD /ho-so HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            let text = String(decoding: try #require(await connection.readToEnd(within: .seconds(3))), as: UTF8.self)
            #expect(text.hasPrefix("HTTP/1.1 200"))
            #expect(text.hasSuffix("\r\n\r\n"))
        }
    }

    @Test func slowClientsFromAnotherAddressCannotLockOutAFreshClient() async throws {
        try await withFrontDoor { door in
            var slow: [RawConnection] = []
            for _ in 0..<300 {
                guard let connection = try? RawConnection(port: door.port, from: "127.0.0.2") else { continue }
                connection.send("POST /api/dossiers HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nx")
                slow.append(connection)
            }
            let started = ContinuousClock.now
            let response = try await door.get("/intake/healthz")
            #expect(response.status == 200)
            #expect(ContinuousClock.now - started < .seconds(1))
            withExtendedLifetime(slow) {}
        }
    }

    @Test func endlessChunkedBodyIsCutWithA413WithinASecond() async throws {
        try await withFrontDoor { door in
            let started = ContinuousClock.now
            let connection = try RawConnection(port: door.port)
            connection.send("POST /api/dossiers HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
            let chunk = Array("10000\r\n".utf8) + [UInt8](repeating: 0x61, count: 1 << 16) + Array("\r\n".utf8)
            // nginx answers at the limit, then reads and discards for a while (lingering close).
            let sending = Task { await connection.sendRepeatedly(chunk, for: .seconds(3)) }
            let response = await connection.readResponse(within: .seconds(2))
            #expect(response?.status == 413)
            #expect(ContinuousClock.now - started < .seconds(1))
            await sending.value
        }
    }
}
