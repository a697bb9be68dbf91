import Dispatch
import Foundation
import Synchronization

/// The serial executor of one `PostgresConnection`: its jobs run on a private dispatch queue, or
/// on a thread of its own.
///
/// libpq calls block, and a `PGconn` must be used by one thread at a time. Running each
/// connection's isolated code on its own serial queue — Dispatch's ordinary worker threads, not
/// Swift concurrency's cooperative pool — lets those calls block without starving other tasks,
/// and the actor's isolation guarantees one libpq call at a time per connection. Dispatch's
/// workers are shared by the process and capped (255), so a connection that blocks for long by
/// design (a listener waiting for notifications) gets a thread of its own instead: any number of
/// idle listeners then leave the workers to the statements.
final class ConnectionExecutor: SerialExecutor {
    private enum Backing {
        case queue(DispatchQueue)
        case thread(JobThread)
    }

    private let backing: Backing

    /// Jobs on a private serial dispatch queue.
    init(label: String) { backing = .queue(DispatchQueue(label: label)) }

    /// Jobs on a thread of their own, which ends with the executor.
    init(dedicatedThread label: String) { backing = .thread(JobThread(name: label)) }

    deinit {
        if case .thread(let thread) = backing { thread.finish() }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        switch backing {
        case .queue(let queue): queue.async { job.runSynchronously(on: executor) }
        case .thread(let thread): thread.submit { job.runSynchronously(on: executor) }
        }
    }
}

/// A thread that runs the closures submitted to it one at a time, in order, until `finish()`.
private final class JobThread: Sendable {
    private struct State {
        var jobs: [@Sendable () -> Void] = []
        var finished = false
    }

    private let state = Mutex(State())
    private let signal = DispatchSemaphore(value: 0)

    init(name: String) {
        let thread = Thread { [self] in loop() }
        thread.name = name
        thread.start()
    }

    func submit(_ job: @escaping @Sendable () -> Void) {
        state.withLock { $0.jobs.append(job) }
        signal.signal()
    }

    /// Ends the thread once the jobs already submitted have run.
    func finish() {
        state.withLock { $0.finished = true }
        signal.signal()
    }

    private func loop() {
        while true {
            signal.wait()
            let (jobs, finished) = state.withLock { state in
                defer { state.jobs = [] }
                return (state.jobs, state.finished)
            }
            for job in jobs { job() }
            if finished { return }
        }
    }
}
