import Foundation
import Glibc
import HTTP
import Observability
import Synchronization
import Testing

@testable import ServiceKit

/// The outbound HTTP client against the project's own server and against raw sockets that answer
/// the ways real servers do (chunked, sloppy headers, a connection left open, nothing at all).
@Suite struct HTTPClientTests {
    @Test func sendsARequestToTheProjectsServerAndReadsItsAnswer() async throws {
        let router = Router<Void>()
        router.post("/echo") { request, _ in
            var response = Response(status: 201, body: request.body)
            response.headers["X-Key"] = request.headers["Idempotency-Key"] ?? "-"
            response.headers["X-Host"] = request.headers["Host"] ?? "-"
            return response
        }
        let server = HTTPServer(
            configuration: .init(port: 0), responder: router.responder { _ in () },
            logger: Logger(service: "test", level: .error, sink: .memory()), metrics: MetricsRegistry())
        try server.start()
        defer { Task { await server.shutdown(timeout: .seconds(1)) } }
        let url = try OutboundURL("http://127.0.0.1:\(server.port)/echo?x=1")
        let body = Array("{\"ok\":\"Phường Hàng Bạc\"}".utf8)
        let response = try await HTTPClient(timeout: .seconds(30)).send(
            OutboundRequest(url: url, headers: ["Idempotency-Key": "k-1"], body: body))
        #expect(response.status == 201 && response.isSuccess)
        #expect(response.body == body)
        #expect(response.headers["x-key"] == "k-1")
        #expect(response.headers["X-Host"] == "127.0.0.1:\(server.port)")
    }

    @Test func readsAChunkedAnswerArrivingInPieces() async throws {
        let server = try RawServer { connection in
            connection.readRequest()
            for piece in [
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nxin c",
                "\r\n5\r\nhào \r\n", "2\r\n!!\r\n0\r\nX-Trailer: t\r\n\r\n",
            ] {
                connection.write(piece)
                usleep(20_000)
            }
        }
        defer { server.stop() }
        let response = try await HTTPClient(timeout: .seconds(30)).send(
            OutboundRequest(method: "GET", url: try OutboundURL("http://127.0.0.1:\(server.port)/")))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "xin chào !!")
    }

    @Test func readsByContentLengthWhenTheServerKeepsTheConnectionOpen() async throws {
        // chromedriver's way: no space after the colon, and the connection left open after the body.
        let server = try RawServer { connection in
            connection.readRequest()
            connection.write(
                "HTTP/1.1 200 OK\r\nContent-Type:application/json\r\nContent-Length:11\r\n\r\n{\"a\":\"bcd\"}")
            usleep(8_000_000)
        }
        defer { server.stop() }
        // The server holds the connection longer than the timeout: only reading by length succeeds.
        let response = try await HTTPClient(timeout: .seconds(6)).send(
            OutboundRequest(url: try OutboundURL("http://127.0.0.1:\(server.port)/"), body: [1, 2, 3]))
        #expect(response.headers["content-type"] == "application/json")
        #expect(String(decoding: response.body, as: UTF8.self) == "{\"a\":\"bcd\"}")
    }

    @Test func readsToTheEndOfTheConnectionWithoutALength() async throws {
        let server = try RawServer { connection in
            connection.readRequest()
            connection.write("HTTP/1.0 503 Service Unavailable\r\n\r\nbảo trì")
        }
        defer { server.stop() }
        let response = try await HTTPClient().send(
            OutboundRequest(url: try OutboundURL("http://127.0.0.1:\(server.port)/")))
        #expect(response.status == 503 && !response.isSuccess)
        #expect(String(decoding: response.body, as: UTF8.self) == "bảo trì")
    }

    @Test func givesUpAtTheTimeoutWhenNoAnswerComes() async throws {
        let server = try RawServer { connection in
            connection.readRequest()
            usleep(6_000_000)
        }
        defer { server.stop() }
        let error = await #expect(throws: OutboundError.self) {
            try await HTTPClient(timeout: .milliseconds(300)).send(
                OutboundRequest(url: try OutboundURL("http://127.0.0.1:\(server.port)/")))
        }
        #expect(error?.code == "timeout", "not the end of the connection, 6 s later")
    }

    @Test func aCancelledCallEndsWithoutWaitingForTheTimeout() async throws {
        let server = try RawServer { connection in
            connection.readRequest()
            usleep(6_000_000)
        }
        defer { server.stop() }
        let call = Task {
            try await HTTPClient(timeout: .seconds(30)).send(
                OutboundRequest(url: try OutboundURL("http://127.0.0.1:\(server.port)/")))
        }
        try await Task.sleep(for: .milliseconds(100))
        call.cancel()
        let error = await #expect(throws: OutboundError.self) { try await call.value }
        #expect(error?.code == "cancelled", "not the end of the connection, 6 s later")
    }

    @Test func aPortNobodyListensOnIsAConnectFailure() async throws {
        let port = try RawServer.unusedPort()
        let error = await #expect(throws: OutboundError.self) {
            try await HTTPClient(timeout: .seconds(2)).send(
                OutboundRequest(url: try OutboundURL("http://127.0.0.1:\(port)/")))
        }
        #expect(error?.code == "connect_failed")
    }

    @Test func anAnswerLongerThanTheLimitIsRefused() async throws {
        let server = try RawServer { connection in
            connection.readRequest()
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n" + String(repeating: "x", count: 5000))
        }
        defer { server.stop() }
        let error = await #expect(throws: OutboundError.self) {
            try await HTTPClient(maximumResponseBytes: 1000).send(
                OutboundRequest(url: try OutboundURL("http://127.0.0.1:\(server.port)/")))
        }
        #expect(error?.code == "response_too_large")
    }

    @Test func aHeaderThatWouldSplitTheRequestIsRefused() async throws {
        let error = await #expect(throws: OutboundError.self) {
            try await HTTPClient().send(
                OutboundRequest(url: try OutboundURL("http://127.0.0.1:9/"), headers: ["X-A": "1\r\nX-B: 2"]))
        }
        #expect(error?.code == "invalid_header")
    }

    @Test func urlsArePlainHTTPWithHostPortAndTarget() throws {
        let plain = try OutboundURL("http://dvc.example.vn/api/sync?v=1#frag")
        #expect(plain.host == "dvc.example.vn" && plain.port == 80 && plain.target == "/api/sync?v=1")
        #expect(plain.authority == "dvc.example.vn")
        let ipv6 = try OutboundURL("http://[::1]:8443")
        #expect(ipv6.host == "::1" && ipv6.port == 8443 && ipv6.target == "/" && ipv6.authority == "[::1]:8443")
        #expect(try OutboundURL("HTTP://h:81?q").target == "/?q")
        #expect(throws: OutboundError.self) { try OutboundURL("https://dichvucong.gov.vn/") }
        for bad in ["ftp://h/", "http://", "http://h:0/", "http://h:99999/", "http://u:p@h/", "http://h/a b"] {
            #expect(throws: OutboundError.self, "\(bad)") { try OutboundURL(bad) }
        }
        #expect((try? OutboundURL("https://h/")) == nil)
    }

    @Test func hmacMatchesRFC4231() {
        // RFC 4231, test case 2.
        let code = HMACSHA256.code(Array("what do ya want for nothing?".utf8), key: Array("Jefe".utf8))
        #expect(Hex.encode(code) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(HMACSHA256.verify(code, of: Array("what do ya want for nothing?".utf8), key: Array("Jefe".utf8)))
        #expect(!HMACSHA256.verify(code, of: Array("what do ya want for nothing!".utf8), key: Array("Jefe".utf8)))
    }

    @Test func aSignatureCoversTheTimestampAndTheExactBody() {
        let signature = WebhookSignature(key: Array("a shared secret of the portal".utf8))
        let body = Array("{\"eventId\":\"e-1\"}".utf8)
        let sent = Date(timeIntervalSince1970: 1_772_672_400)
        let headers = signature.headers(for: body, at: sent)
        let expected = HMACSHA256.code(
            Array("1772672400.".utf8) + body, key: Array("a shared secret of the portal".utf8))
        #expect(headers["X-MotCua-Timestamp"] == "1772672400")
        #expect(headers["X-MotCua-Signature"] == "sha256=" + Hex.encode(expected))
        #expect(signature.verifies(body, headers: headers, now: sent.addingTimeInterval(60)))
        #expect(!signature.verifies(body + [32], headers: headers, now: sent))
        #expect(!signature.verifies(body, headers: headers, now: sent.addingTimeInterval(301)))
        var moved = headers
        moved["X-MotCua-Timestamp"] = "1772672401"
        #expect(!signature.verifies(body, headers: moved, now: sent))
        #expect(!WebhookSignature(key: Array("another key".utf8)).verifies(body, headers: headers, now: sent))
    }
}

/// A TCP server on 127.0.0.1 that runs `script` on each connection, one at a time, on a thread of
/// its own, until `stop()`.
private final class RawServer: Sendable {
    let port: Int
    private let listener: Int32

    /// One accepted connection as the script sees it.
    struct Connection {
        let socket: Int32

        /// Reads until the end of the request's header (the tests' requests have small bodies,
        /// read with it or left unread).
        func readRequest() {
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !received.contains(subsequence: [13, 10, 13, 10]) {
                let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
                guard count > 0 else { return }
                received += buffer[..<count]
            }
        }

        func write(_ text: String) {
            let bytes = Array(text.utf8)
            _ = bytes.withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }
    }

    init(script: @escaping @Sendable (Connection) -> Void) throws {
        (listener, port) = try Self.listen()
        let listener = listener
        Thread {
            while true {
                let connection = accept(listener, nil, nil)
                guard connection >= 0 else { return }
                script(Connection(socket: connection))
                close(connection)
            }
        }.start()
    }

    /// Stops accepting; a script still running finishes on its own.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    /// A port that was free a moment ago and has no listener.
    static func unusedPort() throws -> Int {
        let (socket, port) = try listen()
        close(socket)
        return port
    }

    private static func listen() throws -> (Int32, Int) {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, length) == 0 && Glibc.listen(socket, 16) == 0 && getsockname(socket, $0, &length) == 0
            }
        }
        guard socket >= 0, bound else { throw OutboundError(code: "test_listen", String(cString: strerror(errno))) }
        return (socket, Int(UInt16(bigEndian: address.sin_port)))
    }
}

extension Array where Element == UInt8 {
    fileprivate func contains(subsequence: [UInt8]) -> Bool {
        ResponseParser.find(subsequence, in: self[...]) != nil
    }
}
