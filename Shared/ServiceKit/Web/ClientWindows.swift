import Foundation
import Synchronization

/// Requests per client address in fixed windows of its own: the count behind `RateLimit` and the
/// sign-in's brake on guessing. In memory, per process: each replica counts on its own.
public final class ClientWindows: Sendable {
    public let limit: Int
    public let window: TimeInterval
    private let windows = Mutex<[String: (start: Date, count: Int)]>([:])

    public init(limit: Int, per window: Duration) {
        precondition(limit > 0 && window > .zero, "a limit needs a positive count and window")
        self.limit = limit
        self.window = TimeInterval(window.components.seconds) + TimeInterval(window.components.attoseconds) / 1e18
    }

    /// Counts a request of `client` at `now`: nil when it is within the limit, else the seconds
    /// until its window ends.
    public func take(_ client: String, now: Date) -> TimeInterval? {
        windows.withLock { windows in
            if windows.count > 10_000 {
                windows = windows.filter { now.timeIntervalSince($0.value.start) < window }
            }
            var current = windows[client] ?? (now, 0)
            if now.timeIntervalSince(current.start) >= window { current = (now, 0) }
            current.count += 1
            windows[client] = current
            return current.count <= limit ? nil : window - now.timeIntervalSince(current.start)
        }
    }
}
