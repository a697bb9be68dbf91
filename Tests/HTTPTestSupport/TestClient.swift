import Foundation
import Glibc

/// A response as read off the socket by `TestClient`.
public struct ClientResponse: Sendable {
    public let status: Int
    /// Header fields by lower-cased name.
    public let headers: [String: String]
    public let body: [UInt8]

    public var text: String { String(decoding: body, as: UTF8.self) }

    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: Data(body))
    }
}

extension ClientResponse {
    /// The first complete response at the start of `bytes` and the number of bytes it took, or nil
    /// while its header fields or its Content-Length of body have not all arrived.
    static func parseOne(_ bytes: [UInt8]) -> (ClientResponse, Int)? {
        let separator = Array("\r\n\r\n".utf8)
        guard let end = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }) else { return nil }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        let start = end + separator.count
        let length = headers["content-length"].flatMap { Int($0) } ?? 0
        guard bytes.count >= start + length else { return nil }
        return (
            ClientResponse(status: status, headers: headers, body: Array(bytes[start..<(start + length)])),
            start + length
        )
    }
}

public struct ClientError: Error, CustomStringConvertible {
    public init(description: String) { self.description = description }
    public let description: String
}

/// A minimal HTTP/1.1 client over blocking sockets, each exchange on its own thread so that many
/// can be in flight without occupying Swift's cooperative pool.
public enum TestClient {
    /// Sends one request with `Connection: close` and reads the answer; from `source`, another
    /// loopback address (127.0.0.2 plays another host), when given.
    public static func request(
        port: Int, method: String = "GET", path: String, headers: [(String, String)] = [], body: [UInt8]? = nil,
        from source: String? = nil
    ) async throws -> ClientResponse {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        return try await send(port: port, raw: Array(head.utf8) + (body ?? []), from: source)
    }

    /// Sends `raw` bytes as they are and reads until the server closes the connection.
    public static func send(port: Int, raw: [UInt8], from source: String? = nil) async throws -> ClientResponse {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try exchange(port: port, pieces: [raw], from: source) }) }
                .start()
        }
    }

    /// Sends a request whose body is `prefix`, then `chunk` `count` times, then `suffix`, written as
    /// it goes, so a large upload never sits whole in the test's memory.
    public static func upload(
        port: Int, method: String = "POST", path: String, headers: [(String, String)] = [], prefix: [UInt8] = [],
        chunk: [UInt8], count: Int, suffix: [UInt8] = []
    ) async throws -> ClientResponse {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(prefix.count + chunk.count * count + suffix.count)\r\n\r\n"
        let pieces = [Array(head.utf8) + prefix] + Array(repeating: chunk, count: count) + [suffix]
        return try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try exchange(port: port, pieces: pieces) }) }.start()
        }
    }

    /// True when a TCP connection to the port is accepted.
    public static func canConnect(port: Int) -> Bool {
        guard let socket = try? connect(port: port) else { return false }
        close(socket)
        return true
    }

    private static func connect(port: Int, from source: String? = nil) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw ClientError(description: "socket: \(errno)") }
        if let source {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            local.sin_addr.s_addr = inet_addr(source)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard bound == 0 else {
                let code = errno
                close(socket)
                throw ClientError(description: "bind to \(source): \(String(cString: strerror(code)))")
            }
        }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
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
            let code = errno
            close(socket)
            throw ClientError(description: "connect: \(String(cString: strerror(code)))")
        }
        return socket
    }

    /// Sends each piece in turn (an array of copies of one chunk shares its storage), then reads the
    /// answer; a server that answers early and closes ends the sending.
    private static func exchange(port: Int, pieces: [[UInt8]], from source: String? = nil) throws -> ClientResponse {
        let socket = try connect(port: port, from: source)
        defer { close(socket) }
        sending: for raw in pieces {
            var sent = 0
            while sent < raw.count {
                let count = raw[sent...].withUnsafeBytes {
                    Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
                }
                if count <= 0, errno == EPIPE || errno == ECONNRESET { break sending }
                guard count > 0 else { throw ClientError(description: "send: \(String(cString: strerror(errno)))") }
                sent += count
            }
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count == 0 { break }
            guard count > 0 else { throw ClientError(description: "recv: \(String(cString: strerror(errno)))") }
            received += buffer[..<count]
        }
        return try parse(received)
    }

    /// The responses' status lines in `bytes` read off a connection: how many times the server answered.
    public static func statusLines(in bytes: [UInt8]) -> [String] {
        String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n").filter { $0.hasPrefix("HTTP/1.") }
    }

    private static func parse(_ bytes: [UInt8]) throws -> ClientResponse {
        let separator = Array("\r\n\r\n".utf8)
        guard
            let end = bytes.indices.first(where: { bytes[$0...].starts(with: separator) })
        else { throw ClientError(description: "no header end in \(bytes.count) bytes") }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw ClientError(description: "bad status line \(lines[0])")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        var body = Array(bytes[(end + separator.count)...])
        if let length = headers["content-length"].flatMap({ Int($0) }), length < body.count {
            body = Array(body[..<length])
        }
        return ClientResponse(status: status, headers: headers, body: body)
    }
}
