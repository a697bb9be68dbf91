import Dispatch

/// The serial executor of one `PostgresConnection`: its jobs run on a private dispatch queue.
///
/// libpq calls block, and a `PGconn` must be used by one thread at a time. Running each
/// connection's isolated code on its own serial queue — Dispatch's ordinary worker threads, not
/// Swift concurrency's cooperative pool — lets those calls block without starving other tasks,
/// and the actor's isolation guarantees one libpq call at a time per connection.
final class ConnectionExecutor: SerialExecutor {
    private let queue: DispatchQueue

    init(label: String) { queue = DispatchQueue(label: label) }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
