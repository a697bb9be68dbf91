import CMicroHTTPD
import Glibc
import Synchronization

/// libmicrohttpd's open connections and what each is waiting for, so the server can enforce the
/// deadlines the library lacks: its idle timeout restarts with every byte, so a client sending one
/// byte a second would hold a connection forever.
///
/// Entries are added and removed from MHD's connection notices; the removal comes before MHD
/// closes the socket, and every `shutdown(2)` happens under the same lock, so a socket number is
/// never used after MHD closed it (and perhaps gave the number to a new connection).
final class ConnectionTable: Sendable {
    private struct Entry {
        let socket: Int32
        var phase: Phase
        /// When the current phase began.
        var since: ContinuousClock.Instant
    }

    private enum Phase {
        /// Between requests: waiting for the next request's header fields.
        case awaitingHeaders
        /// Header fields received; the body may still be arriving.
        case receiving(Exchange)
        /// The whole request is in; the server owes the answer.
        case answering
        /// Shut down by the server; MHD closes it on its next look.
        case closing
    }

    private let entries = Mutex<[UInt: Entry]>([:])

    private static func key(_ connection: OpaquePointer) -> UInt { UInt(bitPattern: Int(bitPattern: connection)) }

    func opened(_ connection: OpaquePointer) {
        let socket = motcua_connection_socket(connection)
        entries.withLock { $0[Self.key(connection)] = Entry(socket: socket, phase: .awaitingHeaders, since: .now) }
    }

    func closed(_ connection: OpaquePointer) {
        _ = entries.withLock { $0.removeValue(forKey: Self.key(connection)) }
    }

    /// The connection's socket, for a response written by the server itself.
    func socket(of connection: OpaquePointer) -> Int32 {
        entries.withLock { $0[Self.key(connection)]?.socket } ?? motcua_connection_socket(connection)
    }

    func receiving(_ connection: OpaquePointer, _ exchange: Exchange) { move(connection, to: .receiving(exchange)) }

    func answering(_ connection: OpaquePointer) { move(connection, to: .answering) }

    func awaitingHeaders(_ connection: OpaquePointer) { move(connection, to: .awaitingHeaders) }

    private func move(_ connection: OpaquePointer, to phase: Phase) {
        entries.withLock { entries in
            let key = Self.key(connection)
            guard var entry = entries[key] else { return }
            if case .closing = entry.phase { return }
            entry.phase = phase
            entry.since = .now
            entries[key] = entry
        }
    }

    /// Shuts down connections past their deadline: those still sending header fields after
    /// `headerTimeout`, and, through `cut` (which answers and returns true when it stopped the
    /// request), those still sending a body after `bodyTimeout`.
    func sweep(
        headerTimeout: Duration, bodyTimeout: Duration, cut: (Exchange, Int32) -> Bool
    ) {
        let now = ContinuousClock.now
        entries.withLock { entries in
            for (key, entry) in entries {
                switch entry.phase {
                case .awaitingHeaders where now - entry.since > headerTimeout:
                    _ = shutdown(entry.socket, Int32(SHUT_RDWR))
                    entries[key]?.phase = .closing
                case .receiving(let exchange) where now - entry.since > bodyTimeout && exchange.isAwaitingClient:
                    if cut(exchange, entry.socket) {
                        _ = shutdown(entry.socket, Int32(SHUT_RDWR))
                        entries[key]?.phase = .closing
                    }
                default:
                    continue
                }
            }
        }
    }

    /// Stops, through `cut`, every request whose body is still arriving (at shutdown).
    func cutReceiving(_ cut: (Exchange, Int32) -> Bool) {
        entries.withLock { entries in
            for (key, entry) in entries {
                guard case .receiving(let exchange) = entry.phase, cut(exchange, entry.socket) else { continue }
                _ = shutdown(entry.socket, Int32(SHUT_RDWR))
                entries[key]?.phase = .closing
            }
        }
    }
}
