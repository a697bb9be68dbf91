import Synchronization

/// The bytes of buffered request bodies the server may hold at once, across all connections.
///
/// Each buffered request takes its declared length before its first byte is read (a chunked one,
/// as it grows) and gives it back when it is over, so stalled uploads near their limit cannot add
/// up to more memory than this, however many connections carry them.
final class BodyBudget: Sendable {
    private let remaining: Atomic<Int>

    init(bytes: Int) {
        remaining = Atomic(max(0, bytes))
    }

    /// Takes `bytes` if that many are left; false (taking nothing) otherwise.
    func take(_ bytes: Int) -> Bool {
        var current = remaining.load(ordering: .relaxed)
        while current >= bytes {
            let (exchanged, original) = remaining.compareExchange(
                expected: current, desired: current - bytes, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
        return false
    }

    /// Gives back bytes taken earlier.
    func give(_ bytes: Int) {
        if bytes > 0 { remaining.add(bytes, ordering: .relaxed) }
    }
}
