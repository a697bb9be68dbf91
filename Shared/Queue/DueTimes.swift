import Synchronization

/// When a consumer instance looks for work besides the NOTIFYs: the earliest retry it scheduled
/// or learnt of from the database, and whether to ask the database for the next one.
final class DueTimes: Sendable {
    private struct State {
        var earliest: ContinuousClock.Instant?
        var askDatabase = true
    }

    private let state = Mutex(State())

    func note(_ instant: ContinuousClock.Instant) {
        state.withLock { $0.earliest = min($0.earliest ?? instant, instant) }
    }

    func takeEarliest() -> ContinuousClock.Instant? {
        state.withLock { state in
            defer { state.earliest = nil }
            return state.earliest
        }
    }

    /// A retry timer fired or a poll came: ask the database for the next retry after the drain.
    func askDatabaseAfterNextDrain() { state.withLock { $0.askDatabase = true } }

    func takeAskDatabase() -> Bool {
        state.withLock { state in
            defer { state.askDatabase = false }
            return state.askDatabase
        }
    }
}
