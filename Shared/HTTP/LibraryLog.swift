import Observability
import Synchronization

/// libmicrohttpd's messages as warning lines, at most `burst` per `window`, so a client opening and
/// aborting connections in a loop cannot flood the log; the lines dropped are counted in the next
/// line written. The error responses the library sends by itself are counted in metrics.
final class LibraryLog: Sendable {
    private struct State {
        var windowStart = ContinuousClock.now
        var written = 0
        var suppressed = 0
    }

    private let logger: Logger
    private let metrics: HTTPMetrics
    private let burst: Int
    private let window: Duration
    private let state = Mutex(State())

    init(logger: Logger, metrics: HTTPMetrics, burst: Int = 10, window: Duration = .seconds(10)) {
        self.logger = logger
        self.metrics = metrics
        self.burst = burst
        self.window = window
    }

    /// Takes one message of the library's.
    func record(_ message: String) {
        if let status = Self.errorStatus(in: message) { metrics.observeLibraryError(status: status) }
        let suppressed: Int? = state.withLock { state in
            let now = ContinuousClock.now
            if now - state.windowStart >= window {
                state.windowStart = now
                state.written = 0
            }
            guard state.written < burst else {
                state.suppressed += 1
                return nil
            }
            state.written += 1
            defer { state.suppressed = 0 }
            return state.suppressed
        }
        guard let suppressed else { return }
        var fields: [String: LogValue] = ["detail": .string(message)]
        if suppressed > 0 { fields["suppressed"] = .int(suppressed) }
        logger.warning("libmicrohttpd", fields)
    }

    /// The status of an error response the library sent, from its message
    /// "Error processing request (HTTP response code is 431 (…)). Closing connection."
    static func errorStatus(in message: String) -> Int? {
        let marker = "HTTP response code is "
        var rest = Substring(message)
        while !rest.isEmpty {
            if rest.hasPrefix(marker) { return Int(rest.dropFirst(marker.count).prefix { $0.isNumber }) }
            rest = rest.dropFirst()
        }
        return nil
    }
}
