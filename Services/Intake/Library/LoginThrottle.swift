import Foundation
import Synchronization

/// Sign-in attempts per client address in fixed windows: a cheap brake on guessing from one
/// place, beside the lockout of each account and the front door's own limit. In memory, per
/// process: each replica brakes on its own.
final class LoginThrottle: Sendable {
    private let limit: Int
    private let window: TimeInterval
    private let windows = Mutex<[String: (start: Date, attempts: Int)]>([:])

    init(policy: SignInPolicy) {
        limit = policy.attemptsPerAddress
        window = TimeInterval(policy.attemptWindow.components.seconds)
    }

    /// Counts an attempt from `address` at `now`; false when it is over the limit.
    func admit(_ address: String, now: Date) -> Bool {
        windows.withLock { windows in
            if windows.count > 10_000 {
                windows = windows.filter { now.timeIntervalSince($0.value.start) < window }
            }
            var current = windows[address] ?? (now, 0)
            if now.timeIntervalSince(current.start) >= window { current = (now, 0) }
            current.attempts += 1
            windows[address] = current
            return current.attempts <= limit
        }
    }
}
