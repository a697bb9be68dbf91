import Glibc
import Synchronization

/// One request and its response over a new TCP connection, with blocking-style calls on a
/// non-blocking socket: every wait is a `poll` bounded by the exchange's deadline, in slices short
/// enough to notice a cancellation. It runs on a thread of its own (see `HTTPClient`), never on
/// Swift's cooperative pool.
struct SocketExchange {
    let request: OutboundRequest
    let deadline: ContinuousClock.Instant
    let maximumResponseBytes: Int
    let cancellation: CancellationFlag

    /// Resolves the host, connects, writes the request, reads the response and closes.
    func run() throws(OutboundError) -> OutboundResponse {
        let bytes = try request.serialized()
        let socket = try connect()
        defer { close(socket) }
        try send(bytes, on: socket)
        var parser = ResponseParser(limit: maximumResponseBytes, bodiless: request.method.uppercased() == "HEAD")
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                if let response = try parser.feed(buffer[..<count]) { return response }
            } else if count == 0 {
                return try parser.finish()
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                try wait(for: Int16(POLLIN), on: socket, doing: "waiting for the response")
            } else if errno != EINTR {
                throw OutboundError(code: "receive_failed", "\(request.url): \(Self.lastError())")
            }
        }
    }

    /// A connected socket to one of the host's addresses, tried in the resolver's order.
    private func connect() throws(OutboundError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(request.url.host, String(request.url.port), &hints, &list)
        guard resolved == 0, let list else {
            throw OutboundError(
                code: "resolve_failed", "\(request.url.host): \(String(cString: gai_strerror(resolved)))")
        }
        defer { freeaddrinfo(list) }
        var failure = OutboundError(code: "connect_failed", "\(request.url.authority): no address")
        var entry: UnsafeMutablePointer<addrinfo>? = list
        while let address = entry {
            entry = address.pointee.ai_next
            let socket = Glibc.socket(
                address.pointee.ai_family,
                Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
                    | Int32(SOCK_NONBLOCK.rawValue), address.pointee.ai_protocol)
            guard socket >= 0 else {
                failure = OutboundError(code: "connect_failed", "socket: \(Self.lastError())")
                continue
            }
            do {
                try connect(socket, to: address.pointee)
                return socket
            } catch {
                close(socket)
                if error.code == "timeout" || error.code == "cancelled" { throw error }
                failure = error
            }
        }
        throw failure
    }

    private func connect(_ socket: Int32, to address: addrinfo) throws(OutboundError) {
        if Glibc.connect(socket, address.ai_addr, address.ai_addrlen) == 0 { return }
        guard errno == EINPROGRESS || errno == EINTR else {
            throw OutboundError(code: "connect_failed", "\(request.url.authority): \(Self.lastError())")
        }
        try wait(for: Int16(POLLOUT), on: socket, doing: "connecting")
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(socket, SOL_SOCKET, SO_ERROR, &error, &length) == 0, error == 0 else {
            throw OutboundError(
                code: "connect_failed",
                "\(request.url.authority): \(String(cString: strerror(error == 0 ? errno : error)))")
        }
    }

    private func send(_ bytes: [UInt8], on socket: Int32) throws(OutboundError) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes {
                Glibc.send(socket, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            if count >= 0 {
                offset += count
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                try wait(for: Int16(POLLOUT), on: socket, doing: "sending the request")
            } else if errno != EINTR {
                throw OutboundError(code: "send_failed", "\(request.url): \(Self.lastError())")
            }
        }
    }

    /// Waits until `socket` is ready for `events` (or has an error the next call will report),
    /// throwing `timeout` at the deadline and `cancelled` when the caller's task is cancelled.
    private func wait(for events: Int16, on socket: Int32, doing what: String) throws(OutboundError) {
        while true {
            if cancellation.isSet { throw OutboundError(code: "cancelled", "\(request.url): cancelled while \(what)") }
            let remaining = deadline - .now
            guard remaining > .zero else {
                throw OutboundError(code: "timeout", "\(request.url): no answer in time while \(what)")
            }
            let slice = min(remaining, .milliseconds(100))
            let milliseconds = max(
                1, Int32(slice.components.seconds * 1000 + slice.components.attoseconds / 1_000_000_000_000_000))
            var descriptor = pollfd(fd: socket, events: events, revents: 0)
            let ready = poll(&descriptor, 1, milliseconds)
            if ready > 0 { return }
            if ready < 0 && errno != EINTR {
                throw OutboundError(code: "receive_failed", "poll: \(Self.lastError())")
            }
        }
    }

    private static func lastError() -> String { String(cString: strerror(errno)) }
}

/// Set when the task waiting for an exchange is cancelled; read by the exchange's thread.
final class CancellationFlag: Sendable {
    private let value = Atomic<Bool>(false)

    func set() { value.store(true, ordering: .releasing) }

    var isSet: Bool { value.load(ordering: .acquiring) }
}
