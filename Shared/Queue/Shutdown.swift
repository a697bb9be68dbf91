import Synchronization

/// How one `run` of a consumer ends its batches in flight: once a stop begins they have a grace to
/// finish; when it is over they are abandoned, so that the run returns within the service's
/// shutdown budget however long a handler takes.
final class Shutdown: Sendable {
    private struct State {
        var timer: Task<Void, Never>?
        var isAbandoning = false
        var cancellers: [Int: @Sendable () -> Void] = [:]
        var nextCanceller = 0
    }

    private let state = Mutex(State())

    /// Starts the grace; only the first call counts.
    func begin(grace: Duration) {
        state.withLock { state in
            guard state.timer == nil, !state.isAbandoning else { return }
            state.timer = Task {
                try? await Task.sleep(for: grace)
                guard !Task.isCancelled else { return }
                self.abandon()
            }
        }
    }

    /// The run is over: no grace left to count.
    func end() {
        state.withLock { $0.timer }?.cancel()
    }

    /// Whether the grace is over.
    var isAbandoning: Bool { state.withLock { $0.isAbandoning } }

    /// Ends every `unlessAbandoned` in flight, and makes the later ones throw at once.
    func abandon() {
        let cancellers = state.withLock { state in
            defer { state.cancellers = [:] }
            state.isAbandoning = true
            return Array(state.cancellers.values)
        }
        for cancel in cancellers { cancel() }
    }

    /// Runs `operation` in a task of its own and returns what it returns or throws; once the grace
    /// is over, cancels that task and throws `ConsumerStopped` without waiting for it (a handler
    /// may ignore cancellation: it then goes on running, its outcome unused).
    func unlessAbandoned<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let id: Int? = state.withLock { state in
            guard !state.isAbandoning else { return nil }
            defer { state.nextCanceller += 1 }
            return state.nextCanceller
        }
        guard let id else { throw ConsumerStopped() }
        defer { state.withLock { _ = $0.cancellers.removeValue(forKey: id) } }
        return try await withCheckedThrowingContinuation { continuation in
            let outcome = OnceContinuation(continuation)
            let task = Task {
                do {
                    outcome.resume(with: .success(try await operation()))
                } catch {
                    outcome.resume(with: .failure(error))
                }
            }
            let registered = state.withLock { state in
                guard !state.isAbandoning else { return false }
                state.cancellers[id] = {
                    task.cancel()
                    outcome.resume(with: .failure(ConsumerStopped()))
                }
                return true
            }
            if !registered {
                task.cancel()
                outcome.resume(with: .failure(ConsumerStopped()))
            }
        }
    }
}

/// The consumer stopped and its grace is over: the batch in flight was abandoned.
struct ConsumerStopped: Error, CustomStringConvertible {
    var description: String { "the consumer stopped and its grace is over" }
}

/// A continuation resumed by whichever comes first, the operation or the abandonment.
private final class OnceContinuation<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, any Error>?>

    init(_ continuation: CheckedContinuation<T, any Error>) { self.continuation = Mutex(continuation) }

    func resume(with result: Result<T, any Error>) {
        continuation.withLock { $0.take() }?.resume(with: result)
    }
}
