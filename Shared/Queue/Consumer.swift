import Foundation
import Observability
import Postgres
import Synchronization

/// Handles the events of some topics for one consumer, in one of two modes.
///
/// Transactional: the handler's writes and the delivery's acknowledgement commit together, so an
/// effect inside the database happens exactly once. Leased (for calls outside the database): a
/// batch is claimed with a lease and committed, the handlers run outside any transaction, and the
/// successes are acknowledged together; a lease that expires (the process died) makes the
/// delivery claimable again, so handlers must be idempotent by `Delivery.eventID`.
///
/// The consumer's name is its role or the role, a dot and a suffix (`reporting.centre`): `mq`'s
/// functions let a role act only as its own consumers. Several instances of one consumer share the
/// work; events of one key are handled one at a time, in publication order (a redriven delivery
/// joins the back of its key's line).
///
/// One at a time in leased mode: while its handlers run, a batch renews its leases every third
/// of the lease, so a handler longer than the lease keeps its key. Two handlers of one key can
/// still run at once in two cases, and only these: the renewals cannot reach the database until
/// a lease has expired (database down, pool exhausted, process paused), and another instance
/// then claims the delivery while the first handler goes on (its instance logs "lease lost");
/// and a stop's grace ends under a handler that ignores cancellation: its lease is released, and
/// another instance may start the delivery while the stopping process still runs that handler.
/// Whichever acknowledges first deletes the delivery; the other's acknowledgement finds nothing.
public final class Consumer<Event: Decodable & Sendable>: QueueConsumer {
    /// Handles one delivery inside the batch's transaction; throwing counts as a failed try.
    public typealias TransactionalHandler = @Sendable (Delivery<Event>, PostgresTransaction) async throws -> Void
    /// Handles one leased delivery outside any transaction; throwing counts as a failed try.
    public typealias LeasedHandler = @Sendable (Delivery<Event>) async throws -> Void

    enum Mode: Sendable {
        case transactional(TransactionalHandler)
        case leased(Duration, LeasedHandler)
    }

    public let name: String?
    public let topics: [String]
    /// Deliveries claimed per transaction.
    public let batchSize: Int
    /// Batches in flight at once in this instance, each in its own transaction (transactional
    /// mode) or lease; events of one key still go one at a time. Give the pool this many
    /// connections and one more.
    public let concurrency: Int
    /// Tries before a delivery is dead (kept, visible, redrivable; no longer blocking its key).
    public let maxAttempts: Int
    public let backoff: Backoff
    /// The longest wait without a notification before looking for work anyway.
    public let pollInterval: Duration
    /// Whether a first subscription to a topic also delivers the events already in its log.
    public let fromBeginning: Bool
    /// How long `stop()` or cancellation lets the batches in flight finish before abandoning them.
    /// The default, 7 s, ends a consumer before HTTP's 8 s drain, both inside the services' 10 s
    /// SIGTERM budget.
    public let stopGrace: Duration
    let mode: Mode
    private let stopping = Atomic<Bool>(false)
    private let running = Atomic<Bool>(false)
    private let current = Mutex<RunControl?>(nil)

    /// How `stop()` reaches the run in progress.
    private struct RunControl: Sendable {
        let wake: AsyncStream<Void>.Continuation
        let shutdown: Shutdown
    }

    /// A transactional consumer.
    public convenience init(
        name: String? = nil, topics: [String], batchSize: Int = 32, concurrency: Int = 1, maxAttempts: Int = 10,
        backoff: Backoff = Backoff(), pollInterval: Duration = .seconds(5), fromBeginning: Bool = false,
        stopGrace: Duration = .seconds(7), handler: @escaping TransactionalHandler
    ) {
        self.init(
            name: name, topics: topics, batchSize: batchSize, concurrency: concurrency, maxAttempts: maxAttempts,
            backoff: backoff, pollInterval: pollInterval, fromBeginning: fromBeginning, stopGrace: stopGrace,
            mode: .transactional(handler))
    }

    /// A leased consumer: each claimed delivery is its own for `lease`, then claimable again.
    public convenience init(
        name: String? = nil, topics: [String], lease: Duration, batchSize: Int = 32, concurrency: Int = 1,
        maxAttempts: Int = 10, backoff: Backoff = Backoff(), pollInterval: Duration = .seconds(5),
        fromBeginning: Bool = false, stopGrace: Duration = .seconds(7), handler: @escaping LeasedHandler
    ) {
        self.init(
            name: name, topics: topics, batchSize: batchSize, concurrency: concurrency, maxAttempts: maxAttempts,
            backoff: backoff, pollInterval: pollInterval, fromBeginning: fromBeginning, stopGrace: stopGrace,
            mode: .leased(lease, handler))
    }

    init(
        name: String?, topics: [String], batchSize: Int, concurrency: Int, maxAttempts: Int, backoff: Backoff,
        pollInterval: Duration, fromBeginning: Bool, stopGrace: Duration, mode: Mode
    ) {
        precondition(
            !topics.isEmpty && batchSize > 0 && concurrency > 0 && maxAttempts > 0,
            "a consumer needs topics, a batch, a worker and a try")
        self.name = name
        self.topics = topics
        self.batchSize = batchSize
        self.concurrency = concurrency
        self.maxAttempts = maxAttempts
        self.backoff = backoff
        self.pollInterval = pollInterval
        self.fromBeginning = fromBeginning
        self.stopGrace = stopGrace
        self.mode = mode
    }

    public var isRunning: Bool { running.load(ordering: .sequentiallyConsistent) }

    /// Subscribes, then handles deliveries until `stop()` or cancellation, which let the batches in
    /// flight finish for up to `stopGrace` (see `stop(grace:)`) before returning.
    ///
    /// It drains on start, on every NOTIFY on `mq_<consumer>`, on every (re)connection of the
    /// listener, when the next retry falls due, and every `pollInterval`: a lost notification
    /// delays a delivery, never loses it. A failing batch (database down) is logged and tried
    /// again at the next wake-up. Raise `concurrency`, or run more instances (processes), to
    /// share the work.
    public func run(pool: PostgresPool, metrics: MetricsRegistry = MetricsRegistry(), logger: Logger) async throws {
        let consumer = try await resolvedName(pool)
        try await pool.query("SELECT mq.subscribe($1, $2, $3)", [consumer, topics, fromBeginning])
        let (wakes, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let shutdown = Shutdown()
        current.withLock { $0 = RunControl(wake: wake, shutdown: shutdown) }
        defer {
            current.withLock { $0 = nil }
            shutdown.end()
        }
        if isStopping { wake.finish() }
        wake.yield()
        let listener = PostgresListener(configuration: pool.configuration, channels: ["mq_" + consumer], logger: logger)
        let context = BatchContext(
            consumer: consumer, pool: pool, logger: logger, meters: QueueMeters(metrics, consumer: consumer),
            due: DueTimes(), shutdown: shutdown)
        QueueMeters.addBacklogCollector(metrics, pool: pool, consumer: consumer)
        logger.info(
            "consumer started", ["consumer": .string(consumer), "topics": .string(topics.joined(separator: ","))])
        running.store(true, ordering: .sequentiallyConsistent)
        defer { running.store(false, ordering: .sequentiallyConsistent) }
        await withTaskCancellationHandler {
            await handle(wakes, wake: wake, listener: listener, context)
        } onCancel: {
            shutdown.begin(grace: stopGrace)
            wake.finish()
        }
        logger.info("consumer stopped", ["consumer": .string(consumer)])
    }

    /// The run's loop: a drain at each wake-up, until the wake-ups end.
    private func handle(
        _ wakes: AsyncStream<Void>, wake: AsyncStream<Void>.Continuation, listener: PostgresListener,
        _ context: BatchContext
    ) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in listener.events() { wake.yield() }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: self.pollInterval)
                    context.due.askDatabaseAfterNextDrain()
                    wake.yield()
                }
            }
            var timer = RetryTimer()
            for await _ in wakes where !isStopping {
                await drain(context)
                if context.due.takeAskDatabase() { await noteNextDue(context) }
                if let due = context.due.takeEarliest() { timer.arm(at: due, wake: wake, due: context.due) }
            }
            timer.cancel()
            listener.stop()
            group.cancelAll()
        }
    }

    /// Asks `run` to return within `stopGrace`: see `stop(grace:)`.
    public func stop() { stop(grace: stopGrace) }

    /// Asks `run` to return: it claims nothing more and lets the batches in flight finish for up
    /// to `grace`, then abandons them: a transactional batch is rolled back (the task running
    /// its handlers cancelled; nothing of it commits), the leases of a leased batch's unfinished
    /// deliveries are released (claimable by another instance at once; the try does not count),
    /// what it finished acknowledged. A handler that ignores cancellation goes on running,
    /// unheard, until the process exits. A handler waiting inside a database statement holds its
    /// batch's rollback until that statement returns. A stopped consumer stays stopped.
    public func stop(grace: Duration) {
        stopping.store(true, ordering: .sequentiallyConsistent)
        guard let run = current.withLock({ $0 }) else { return }
        run.shutdown.begin(grace: grace)
        run.wake.finish()
    }

    private var isStopping: Bool { stopping.load(ordering: .sequentiallyConsistent) || Task.isCancelled }

    private func resolvedName(_ pool: PostgresPool) async throws -> String {
        if let name { return name }
        return try await pool.query("SELECT session_user::text").single().decode(String.self, at: 0)
    }

    /// What one `run` hands to each batch.
    struct BatchContext: Sendable {
        let consumer: String
        let pool: PostgresPool
        let logger: Logger
        let meters: QueueMeters
        let due: DueTimes
        let shutdown: Shutdown
    }

    /// Handles batches while more may be due, with `concurrency` workers.
    private func drain(_ context: BatchContext) async {
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<concurrency { group.addTask { await self.work(context) } }
        }
    }

    /// One worker of a drain: handles batches until one comes back short with no delivery held
    /// back behind its key (what is committed later brings its own NOTIFY). Each batch runs in
    /// its own task, which cancellation of `run` does not reach: a stop lets it finish within the
    /// grace, after which the batch abandons its handlers itself.
    private func work(_ context: BatchContext) async {
        var start = ClaimStart()
        while !isStopping {
            let after = start.next()
            let batch = Task { try await handleBatch(context, after: after) }
            do {
                let claimed = try await batch.value
                start.claimed(claimed)
                guard claimed.count == batchSize || claimed.contains(where: \.moreOfKey) else { return }
            } catch is ConsumerStopped {
                context.logger.warning(
                    "stop's grace over: batch in flight abandoned (rolled back, or its leases released)",
                    ["consumer": .string(context.consumer)])
                return
            } catch {
                context.logger.error(
                    "queue batch failed; retrying at the next wake-up",
                    ["consumer": .string(context.consumer), "error": .string("\(error)")])
                return
            }
        }
    }

    /// Notes when the consumer's earliest retry or lease falls due in the database (any instance's,
    /// or a dead one's); asked at start, at every poll and after a retry timer fired, not after
    /// every batch: the query reads all the consumer's pending deliveries.
    private func noteNextDue(_ context: BatchContext) async {
        guard
            let due = try? await context.pool.query("SELECT mq.next_due($1)", [context.consumer]).single()
                .decode(Date?.self, at: 0)
        else { return }
        context.due.note(.now + .milliseconds(Int64(max(0, due.timeIntervalSinceNow) * 1000)))
    }

    /// Claims and handles one batch; returns the deliveries it claimed.
    private func handleBatch(_ context: BatchContext, after: Int64?) async throws -> [ClaimedRow] {
        switch mode {
        case .transactional(let handler): try await handleTransactionalBatch(context, after: after, handler)
        case .leased(let lease, let handler): try await handleLeasedBatch(context, after: after, lease: lease, handler)
        }
    }

    private static var claimSQL: String {
        """
        SELECT event_id, topic, key, payload::text, attempt, published_at, more_of_key, place, producer
        FROM mq.claim($1, $2, $3, $4::interval, $5)
        """
    }

    /// Claims a batch, runs the handler on each delivery, records the failures, acknowledges the
    /// rest, and commits: all in one transaction.
    ///
    /// The batch runs first without savepoints (no round trip per delivery, and the acknowledgement's
    /// deletes stay plain: a row locked by the transaction and deleted inside a savepoint gets a
    /// MultiXact as its deleter, which index scans never mark dead, so every later claim walked
    /// all of them until VACUUM). If a handler throws, that run is rolled back and the batch is
    /// claimed and run again with a savepoint around each delivery, so that only failures are
    /// undone; the handler that threw is not called again for that try, its error is recorded,
    /// while the handlers before it run again (their first writes were rolled back).
    private func handleTransactionalBatch(
        _ context: BatchContext, after: Int64?, _ handler: @escaping TransactionalHandler
    )
        async throws -> [ClaimedRow]
    {
        do {
            return try await transactionalBatch(context, after: after, handler, isolating: nil)
        } catch let failure as FailedWithoutSavepoints {
            return try await transactionalBatch(
                context, after: after, handler, isolating: [failure.eventID: failure.error])
        }
    }

    /// One transactional batch: without savepoints when `failed` is nil; otherwise with one per
    /// delivery, and the deliveries in `failed` recorded as failing with their error, not run.
    ///
    /// The handlers run one after another in one task, raced once against the stop's abandonment:
    /// abandoned, the batch's transaction rolls back at once while that task is cancelled.
    private func transactionalBatch(
        _ context: BatchContext, after: Int64?, _ handler: @escaping TransactionalHandler,
        isolating failed: [Int64: any Error]?
    ) async throws -> [ClaimedRow] {
        try await context.pool.transaction { tx in
            let claimed = try await tx.query(
                Self.claimSQL, [context.consumer, batchSize, maxAttempts, String?.none, after]
            ).map { try ClaimedRow($0) }
            guard !claimed.isEmpty else { return claimed }
            let handled = try await context.shutdown.unlessAbandoned {
                try await self.runHandlers(claimed, handler, isolating: failed, context, in: tx)
            }
            if !handled.isEmpty {
                tx.afterCommit { context.meters.handled(handled) }
                try await tx.commit(after: "SELECT mq.ack($1, $2)", [context.consumer, handled.map(\.eventID)])
            }
            return claimed
        }
    }

    /// Runs the handler on each claimed delivery in turn, in `tx`, and returns those it handled;
    /// see `transactionalBatch`. Once the batch is abandoned it touches `tx` no more.
    private func runHandlers(
        _ claimed: [ClaimedRow], _ handler: @escaping TransactionalHandler, isolating failed: [Int64: any Error]?,
        _ context: BatchContext, in tx: PostgresTransaction
    ) async throws -> [ClaimedRow] {
        let isolating = failed != nil
        var handled: [ClaimedRow] = []
        // Isolating: a success's savepoint is released together with the next SAVEPOINT (one
        // round trip); a failure rolls back to its savepoint and releases it; either way what
        // follows the last delivery, the acknowledgement included, runs in the transaction itself.
        var savepointOpen = false
        for delivery in claimed {
            guard !context.shutdown.isAbandoning else { throw ConsumerStopped() }
            if let error = failed?[delivery.eventID] {
                try await recordFailure(delivery, error: error, context, on: tx)
                continue
            }
            if isolating {
                try await tx.run(
                    script: savepointOpen
                        ? "RELEASE SAVEPOINT mq_delivery; SAVEPOINT mq_delivery" : "SAVEPOINT mq_delivery")
                savepointOpen = true
            }
            do {
                let event = try decode(delivery)
                try await context.meters.timing(delivery) { try await handler(delivery.with(event), tx) }
                handled.append(delivery)
            } catch {
                // A handler cancelled by the abandonment fails for that, not for a fault of its own.
                guard !context.shutdown.isAbandoning else { throw ConsumerStopped() }
                guard isolating else { throw FailedWithoutSavepoints(eventID: delivery.eventID, error: error) }
                try await tx.run(script: "ROLLBACK TO SAVEPOINT mq_delivery; RELEASE SAVEPOINT mq_delivery")
                savepointOpen = false
                try await recordFailure(delivery, error: error, context, on: tx)
            }
        }
        if savepointOpen { try await tx.run(script: "RELEASE SAVEPOINT mq_delivery") }
        return handled
    }

    /// Claims a batch under a lease and commits; runs the handlers concurrently (one per key at
    /// most, so per-key order holds) while renewing the leases of those still running, then
    /// acknowledges the successes together. Abandoned at a stop, it acknowledges what finished
    /// and releases the leases of the rest.
    private func handleLeasedBatch(
        _ context: BatchContext, after: Int64?, lease: Duration, _ handler: @escaping LeasedHandler
    ) async throws -> [ClaimedRow] {
        let claimed = try await context.pool.query(
            Self.claimSQL, [context.consumer, batchSize, maxAttempts, Self.intervalText(lease), after]
        ).map { try ClaimedRow($0) }
        guard !claimed.isEmpty else { return [] }
        let batch = LeasedBatch(claimed)
        let keeper = Task { await keep(batch, for: lease, context) }
        var abandoned = false
        do {
            try await context.shutdown.unlessAbandoned {
                await withTaskGroup(of: Void.self) { group in
                    for delivery in claimed {
                        group.addTask {
                            var failure: (any Error)?
                            do {
                                let event = try self.decode(delivery)
                                try await context.meters.timing(delivery) { try await handler(delivery.with(event)) }
                            } catch {
                                failure = error
                            }
                            batch.finished(delivery, failure: failure)
                        }
                    }
                }
            }
        } catch is ConsumerStopped {
            abandoned = true
        }
        keeper.cancel()
        await keeper.value
        let (finished, unfinished) = batch.end()
        let handled = finished.filter { $0.1 == nil }.map(\.0)
        try await context.pool.withConnection { connection in
            if !handled.isEmpty {
                try await connection.query("SELECT mq.ack($1, $2)", [context.consumer, handled.map(\.eventID)])
                context.meters.handled(handled)
            }
            for case (let delivery, let error?) in finished {
                try await recordFailure(delivery, error: error, context, on: connection)
            }
            if !unfinished.isEmpty {
                try await connection.query(
                    "SELECT mq.release($1, $2, $3)",
                    [context.consumer, unfinished.map(\.eventID), unfinished.map(\.attempt)])
            }
        }
        if abandoned { throw ConsumerStopped() }
        return claimed
    }

    /// Renews the leases still held every third of `lease` until cancelled, so that a handler
    /// longer than the lease keeps its key; says so when one was lost (its lease expired before a
    /// renewal reached the database, and another instance may have claimed it).
    private func keep(_ batch: LeasedBatch, for lease: Duration, _ context: BatchContext) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: lease / 3)
            let held = batch.running()
            guard !Task.isCancelled, !held.isEmpty else { return }
            do {
                let renewed = try await context.pool.query(
                    "SELECT event_id FROM mq.renew($1, $2, $3, $4::interval)",
                    [context.consumer, held.map(\.eventID), held.map(\.attempt), Self.intervalText(lease)]
                ).map { try $0.decode(Int64.self, at: 0) }
                for lost in batch.lost(held, renewed: Set(renewed)) {
                    context.logger.error(
                        "lease lost under a running handler; another instance may run this delivery too",
                        ["consumer": .string(context.consumer), "event": .int(Int(lost.eventID))])
                }
            } catch {
                context.logger.warning(
                    "cannot renew the leases of a running batch",
                    ["consumer": .string(context.consumer), "error": .string("\(error)")])
            }
        }
    }

    private static func intervalText(_ duration: Duration) -> String { "\(duration.inMilliseconds) milliseconds" }

    private func decode(_ delivery: ClaimedRow) throws -> Event {
        do {
            return try EventJSON.decode(
                Event.self, from: delivery.payload, topic: delivery.topic, producer: delivery.producer)
        } catch {
            throw UndecodablePayload(
                eventID: delivery.eventID, topic: delivery.topic, type: "\(Event.self)", reason: "\(error)")
        }
    }

    private func recordFailure(
        _ delivery: ClaimedRow, error: any Error, _ context: BatchContext, on connection: some PostgresQueryable
    ) async throws {
        context.meters.failed(delivery)
        let wait = backoff.delay(afterAttempt: delivery.attempt)
        let milliseconds = wait.inMilliseconds
        // A payload that does not decode never will: dead at once, not after every retry.
        let attempts = error is UndecodablePayload ? 1 : maxAttempts
        let state = try await connection.query(
            "SELECT mq.fail($1, $2, $3, clock_timestamp() + $4 * interval '1 millisecond', $5)",
            [context.consumer, delivery.eventID, "\(error)", Int64(milliseconds), attempts]
        ).single().decode(String?.self, at: 0)
        // Noted once the database has it: a timer set from before could fire before the retry is due.
        context.due.note(.now + wait)
        let fields: [String: LogValue] = [
            "consumer": .string(context.consumer), "event": .int(Int(delivery.eventID)),
            "topic": .string(delivery.topic),
            "attempt": .int(delivery.attempt), "error": .string("\(error)"),
        ]
        if state == "dead" {
            context.logger.error("delivery is dead after its last try", fields)
        } else {
            context.logger.warning(
                "delivery failed; will retry", fields.merging(["retryInMs": .int(Int(milliseconds))]) { $1 })
        }
    }
}
