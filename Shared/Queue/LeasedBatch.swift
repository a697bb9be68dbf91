import Synchronization

/// A leased batch while its handlers run: the deliveries still running, whose leases are renewed
/// (and released if the batch is abandoned), and the outcomes of those that finished.
final class LeasedBatch: Sendable {
    private struct State {
        var running: [Int64: ClaimedRow]
        var finished: [(ClaimedRow, (any Error)?)] = []
    }

    private let state: Mutex<State>

    init(_ claimed: [ClaimedRow]) {
        state = Mutex(State(running: Dictionary(uniqueKeysWithValues: claimed.map { ($0.eventID, $0) })))
    }

    /// The deliveries whose handlers still run, in event order.
    func running() -> [ClaimedRow] {
        state.withLock { $0.running.values.sorted { $0.eventID < $1.eventID } }
    }

    /// A handler returned (`failure` nil) or threw; after `end()`, what it did is not used.
    func finished(_ delivery: ClaimedRow, failure: (any Error)?) {
        state.withLock { state in
            guard state.running.removeValue(forKey: delivery.eventID) != nil else { return }
            state.finished.append((delivery, failure))
        }
    }

    /// Of `asked`, those still running that a renewal did not extend; they are no longer held.
    func lost(_ asked: [ClaimedRow], renewed: Set<Int64>) -> [ClaimedRow] {
        state.withLock { state in
            asked.filter { !renewed.contains($0.eventID) && state.running.removeValue(forKey: $0.eventID) != nil }
        }
    }

    /// Ends the batch: what finished, and what still runs (to release), each once.
    func end() -> (finished: [(ClaimedRow, (any Error)?)], running: [ClaimedRow]) {
        state.withLock { state in
            defer {
                state.running = [:]
                state.finished = []
            }
            return (state.finished, state.running.values.sorted { $0.eventID < $1.eventID })
        }
    }
}
