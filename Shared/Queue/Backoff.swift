/// How long a failed delivery waits before its next try: exponential, capped, with jitter.
///
/// The jitter keeps deliveries that failed together (a dependency down) from retrying in lockstep.
public struct Backoff: Sendable {
    /// The wait after the first failure, before jitter.
    public var initial: Duration
    /// The longest wait, before jitter.
    public var maximum: Duration

    public init(initial: Duration = .seconds(1), maximum: Duration = .seconds(300)) {
        precondition(initial > .zero && maximum >= initial, "backoff needs 0 < initial <= maximum")
        self.initial = initial
        self.maximum = maximum
    }

    /// The wait after try `attempt` failed: `initial · 2^(attempt−1)` capped at `maximum`, of which
    /// the upper half is random, so below the cap each wait is at least as long as the one before.
    public func delay(afterAttempt attempt: Int) -> Duration {
        let doublings = min(max(attempt - 1, 0), 30)
        let ceiling = min(initial * (1 << doublings), maximum)
        return ceiling / 2 + ceiling / 2 * Double.random(in: 0...1)
    }
}
