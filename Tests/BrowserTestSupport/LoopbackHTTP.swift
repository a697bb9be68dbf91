import Foundation
import Glibc

/// One HTTP/1.1 exchange with a server on the loopback interface, read by `Content-Length`.
///
/// chromedriver answers `Connection: close` but keeps the connection open, and its header lines have
/// no space after the colon, which URLSession on Linux refuses ("Failed writing header"); so this
/// small client, with each exchange on a thread of its own (blocking sockets stay off Swift's pool).
enum LoopbackHTTP {
    /// Sends the request and returns the status and the body.
    static func exchange(port: Int, method: String, path: String, body: [UInt8]?) async throws -> (
        status: Int, body: [UInt8]
    ) {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(
                    with: Result { try blockingExchange(port: port, method: method, path: path, body: body) })
            }.start()
        }
    }

    private static func blockingExchange(port: Int, method: String, path: String, body: [UInt8]?) throws -> (
        status: Int, body: [UInt8]
    ) {
        let socket = try connect(port: port)
        defer { close(socket) }
        var request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if let body { request += "Content-Type: application/json; charset=utf-8\r\nContent-Length: \(body.count)\r\n" }
        try send(socket, Array((request + "\r\n").utf8) + (body ?? []))

        var received: [UInt8] = []
        var headerEnd: Int?
        var expected: Int?
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            if let headerEnd, let expected, received.count - headerEnd >= expected { break }
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw BrowserError("chromedriver recv: \(String(cString: strerror(errno)))") }
            if count == 0 { break }
            received += buffer[..<count]
            if headerEnd == nil, let end = find([13, 10, 13, 10], in: received) {
                headerEnd = end + 4
                expected = contentLength(String(decoding: received[..<end], as: UTF8.self))
            }
        }
        guard let headerEnd else { throw BrowserError("chromedriver closed the connection without an answer") }
        let head = String(decoding: received[..<headerEnd], as: UTF8.self)
        let statusLine = head.prefix { $0 != "\r" }.split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw BrowserError("chromedriver answered no status line: \(head)")
        }
        return (status, Array(received[headerEnd...].prefix(expected ?? .max)))
    }

    private static func contentLength(_ head: String) -> Int? {
        for line in head.split(separator: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "content-length" {
                return Int(parts[1].trimmingCharacters(in: .whitespaces))
            }
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        return (0...(bytes.count - needle.count)).first { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    private static func connect(port: Int) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw BrowserError("socket: \(String(cString: strerror(errno)))") }
        // A command such as starting the browser may take a while; a hung driver still ends the test.
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let reason = String(cString: strerror(errno))
            close(socket)
            throw BrowserError("cannot connect to chromedriver on port \(port): \(reason)")
        }
        return socket
    }

    private static func send(_ socket: Int32, _ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes {
                Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw BrowserError("chromedriver send: \(String(cString: strerror(errno)))") }
            sent += count
        }
    }
}
