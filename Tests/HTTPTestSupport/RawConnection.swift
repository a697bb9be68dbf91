import Foundation
import Glibc
import Synchronization

/// A TCP connection a test drives byte by byte, from a chosen loopback address, to play a slow,
/// malformed or hostile client; every read is bounded in time, and waits on a thread of its own so
/// that it never holds one of Swift's few cooperative threads (the server's handlers need them).
public final class RawConnection: Sendable {
    private let socket: Int32
    /// Bytes read and not yet taken as a response.
    private let received = Mutex<[UInt8]>([])

    /// Connects to `port` on 127.0.0.1 from `source` (another loopback address, 127.0.0.2, plays
    /// another host); throws when the connection is not accepted.
    public init(port: Int, from source: String = "127.0.0.1") throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw ClientError(description: "socket: \(errno)") }
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        local.sin_addr.s_addr = inet_addr(source)
        var remote = sockaddr_in()
        remote.sin_family = sa_family_t(AF_INET)
        remote.sin_port = UInt16(port).bigEndian
        remote.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        let connected =
            bound == 0
            && withUnsafePointer(to: &remote) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            } == 0
        guard connected else {
            let code = errno
            Glibc.close(socket)
            throw ClientError(description: "connect from \(source): \(String(cString: strerror(code)))")
        }
    }

    deinit { Glibc.close(socket) }

    /// Sends `text`; false when the peer has closed or reset the connection.
    @discardableResult
    public func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Sends `bytes`; false when the peer has closed or reset the connection.
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes {
                Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard count > 0 else { return false }
            sent += count
        }
        return true
    }

    /// Sends `bytes` over and over until the peer stops taking them (it closed or reset the
    /// connection) or `limit` passes: an endless upload.
    public func sendRepeatedly(_ bytes: [UInt8], for limit: Duration) async {
        let deadline = ContinuousClock.now + limit
        await Self.offThePool {
            while ContinuousClock.now < deadline, self.send(bytes) {}
        }
    }

    /// Everything the peer sent until it closed the connection, or until `limit` passed (then nil).
    public func readToEnd(within limit: Duration) async -> [UInt8]? {
        await Self.offThePool { self.blockingReadToEnd(within: limit) }
    }

    private func blockingReadToEnd(within limit: Duration) -> [UInt8]? {
        let deadline = ContinuousClock.now + limit
        while true {
            switch readSome(until: deadline) {
            case .data: continue
            case .closed: return received.withLock { $0 }
            case .timedOut: return nil
            }
        }
    }

    /// The next response (header fields and a body of its Content-Length), waiting up to `limit`;
    /// nil when none came in time or the peer closed first.
    public func readResponse(within limit: Duration) async -> ClientResponse? {
        await Self.offThePool { self.blockingReadResponse(within: limit) }
    }

    private func blockingReadResponse(within limit: Duration) -> ClientResponse? {
        let deadline = ContinuousClock.now + limit
        while true {
            let parsed = received.withLock { received -> ClientResponse? in
                guard let (response, consumed) = ClientResponse.parseOne(received) else { return nil }
                received.removeFirst(consumed)
                return response
            }
            if let parsed { return parsed }
            guard case .data = readSome(until: deadline) else { return nil }
        }
    }

    /// True when the peer closes (or resets) the connection within `limit`.
    public func isClosed(within limit: Duration) async -> Bool {
        await Self.offThePool { self.blockingIsClosed(within: limit) }
    }

    private func blockingIsClosed(within limit: Duration) -> Bool {
        let deadline = ContinuousClock.now + limit
        while true {
            switch readSome(until: deadline) {
            case .data: continue
            case .closed: return true
            case .timedOut: return false
            }
        }
    }

    private enum ReadOutcome { case data, closed, timedOut }

    private func readSome(until deadline: ContinuousClock.Instant) -> ReadOutcome {
        let left = deadline - ContinuousClock.now
        guard left > .zero else { return .timedOut }
        let milliseconds = Int32(
            clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1)
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, milliseconds) > 0 else { return .timedOut }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return .closed }
        received.withLock { $0 += buffer[..<count] }
        return .data
    }

    /// Runs blocking socket work on a thread of its own.
    private static func offThePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: work()) }.start()
        }
    }
}
