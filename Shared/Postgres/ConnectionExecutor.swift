import Dispatch

/// The serial executor of one `PostgresConnection`: its jobs run on a private dispatch queue.
///
/// libpq calls block, and a `PGconn` must be used by one thread at a time. Running each
/// connection's isolated code on its own serial queue — Dispatch's ordinary worker threads, not
/// Swift concurrency's cooperative pool — lets those calls block without starving other tasks,
/// and the actor's isolation guarantees one libpq call at a time per connection.
///
/// Dispatch caps its worker threads (255) for the whole process, so no call here may wait for
/// long on its own account: a connection waiting for notifications does it through
/// `SocketPoller`, off these threads. What still blocks a worker is a statement in flight (or a
/// connect, up to its timeout), each holding a connection that a pool lends, so the blocked
/// workers are never more than the connections a process's pools may open.
final class ConnectionExecutor: SerialExecutor {
    private let queue: DispatchQueue

    init(label: String) { queue = DispatchQueue(label: label) }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
