import Foundation
import Synchronization

/// Where business time comes from: receipt times, deadlines, token expiry, audit records.
///
/// Services read it from their context, never from `Date()`, so a test can stand on a Friday
/// afternoon before a holiday and move forward at will.
public protocol WallClock: Sendable {
    /// The current instant.
    var now: Date { get }
}

/// The machine's clock: what every service runs with.
public struct SystemClock: WallClock {
    public init() {}
    public var now: Date { Date() }
}

/// A clock that stands still until told to move: for tests.
public final class SettableClock: WallClock {
    private let instant: Mutex<Date>

    public init(_ start: Date) { instant = Mutex(start) }

    public var now: Date { instant.withLock { $0 } }

    /// Sets the clock to `date`.
    public func set(_ date: Date) { instant.withLock { $0 = date } }

    /// Moves the clock forward by `seconds`.
    public func advance(by seconds: TimeInterval) { instant.withLock { $0 += seconds } }
}
