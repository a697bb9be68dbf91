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
/// work; events of one key are handled one at a time, in publication order.
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
    let mode: Mode
    private let stopping = Atomic<Bool>(false)
    private let running = Atomic<Bool>(false)
    private let wakeUp = Mutex<AsyncStream<Void>.Continuation?>(nil)

    /// A transactional consumer.
    public convenience init(
        name: String? = nil, topics: [String], batchSize: Int = 32, concurrency: Int = 1, maxAttempts: Int = 10,
        backoff: Backoff = Backoff(), pollInterval: Duration = .seconds(5), fromBeginning: Bool = false,
        handler: @escaping TransactionalHandler
    ) {
        self.init(
            name: name, topics: topics, batchSize: batchSize, concurrency: concurrency, maxAttempts: maxAttempts,
            backoff: backoff, pollInterval: pollInterval, fromBeginning: fromBeginning, mode: .transactional(handler))
    }

    /// A leased consumer: each claimed delivery is its own for `lease`, then claimable again.
    public convenience init(
        name: String? = nil, topics: [String], lease: Duration, batchSize: Int = 32, concurrency: Int = 1,
        maxAttempts: Int = 10, backoff: Backoff = Backoff(), pollInterval: Duration = .seconds(5),
        fromBeginning: Bool = false, handler: @escaping LeasedHandler
    ) {
        self.init(
            name: name, topics: topics, batchSize: batchSize, concurrency: concurrency, maxAttempts: maxAttempts,
            backoff: backoff, pollInterval: pollInterval, fromBeginning: fromBeginning, mode: .leased(lease, handler))
    }

    init(
        name: String?, topics: [String], batchSize: Int, concurrency: Int, maxAttempts: Int, backoff: Backoff,
        pollInterval: Duration, fromBeginning: Bool, mode: Mode
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
        self.mode = mode
    }

    public var isRunning: Bool { running.load(ordering: .sequentiallyConsistent) }

    /// Subscribes, then handles deliveries until `stop()` or cancellation, which let the batch in
    /// flight finish (commit or roll back, leases released) before returning.
    ///
    /// It drains on start, on every NOTIFY on `mq_<consumer>`, on every (re)connection of the
    /// listener, when the next retry falls due, and every `pollInterval`: a lost notification
    /// delays a delivery, never loses it. A failing batch (database down) is logged and tried
    /// again at the next wake-up. Raise `concurrency`, or run more instances (processes), to
    /// share the work.
    public func run(pool: PostgresPool, metrics: MetricsRegistry = MetricsRegistry(), logger: Logger) async throws {
        let consumer = try await resolvedName(pool)
        try await pool.query("SELECT mq.maintain()")
        try await pool.query("SELECT mq.subscribe($1, $2, $3)", [consumer, topics, fromBeginning])
        let (wakes, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        wakeUp.withLock { $0 = wake }
        defer { wakeUp.withLock { $0 = nil } }
        if isStopping { wake.finish() }
        wake.yield()
        let listener = PostgresListener(configuration: pool.configuration, channels: ["mq_" + consumer], logger: logger)
        let context = BatchContext(
            consumer: consumer, pool: pool, logger: logger, meters: QueueMeters(metrics, consumer: consumer),
            due: DueTimes())
        QueueMeters.addBacklogCollector(metrics, pool: pool, consumer: consumer)
        logger.info("consumer started", ["consumer": .string(consumer), "topics": .string(topics.joined(separator: ","))])
        running.store(true, ordering: .sequentiallyConsistent)
        defer { running.store(false, ordering: .sequentiallyConsistent) }
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
        logger.info("consumer stopped", ["consumer": .string(consumer)])
    }

    /// Asks `run` to return once the batch in flight is done; a stopped consumer stays stopped.
    public func stop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        wakeUp.withLock { $0?.finish() }
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
    }

    /// Handles batches while more may be due, with `concurrency` workers.
    private func drain(_ context: BatchContext) async {
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<concurrency { group.addTask { await self.work(context) } }
        }
    }

    /// One worker of a drain: handles batches until one comes back short with no delivery held
    /// back behind its key (what is committed later brings its own NOTIFY). Each batch runs in
    /// its own task, which cancellation of `run` does not reach, so a stop never interrupts a
    /// handler halfway.
    private func work(_ context: BatchContext) async {
        var start = ClaimStart()
        while !isStopping {
            let after = start.next()
            let batch = Task { try await handleBatch(context, after: after) }
            do {
                let claimed = try await batch.value
                start.claimed(claimed)
                guard claimed.count == batchSize || claimed.contains(where: \.moreOfKey) else { return }
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
        "SELECT event_id, topic, key, payload::text, attempt, published_at, more_of_key, place FROM mq.claim($1, $2, $3, $4::interval, $5)"
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
    private func handleTransactionalBatch(_ context: BatchContext, after: Int64?, _ handler: TransactionalHandler)
        async throws -> [ClaimedRow]
    {
        do {
            return try await transactionalBatch(context, after: after, handler, isolating: nil)
        } catch let failure as FailedWithoutSavepoints {
            return try await transactionalBatch(context, after: after, handler, isolating: [failure.eventID: failure.error])
        }
    }

    /// One transactional batch: without savepoints when `failed` is nil; otherwise with one per
    /// delivery, and the deliveries in `failed` recorded as failing with their error, not run.
    private func transactionalBatch(
        _ context: BatchContext, after: Int64?, _ handler: TransactionalHandler, isolating failed: [Int64: any Error]?
    ) async throws -> [ClaimedRow] {
        let isolating = failed != nil
        return try await context.pool.transaction { tx in
            let claimed = try await tx.query(
                Self.claimSQL, [context.consumer, batchSize, maxAttempts, String?.none, after]
            ).map { try ClaimedRow($0) }
            var handled: [ClaimedRow] = []
            // Isolating: a success's savepoint is released together with the next SAVEPOINT (one
            // round trip); a failure rolls back to its savepoint and releases it; either way what
            // follows the last delivery, the acknowledgement included, runs in the transaction itself.
            var savepointOpen = false
            for delivery in claimed {
                if let error = failed?[delivery.eventID] {
                    try await recordFailure(delivery, error: error, context, on: tx)
                    continue
                }
                if isolating {
                    try await tx.run(
                        script: savepointOpen ? "RELEASE SAVEPOINT mq_delivery; SAVEPOINT mq_delivery" : "SAVEPOINT mq_delivery")
                    savepointOpen = true
                }
                do {
                    let event = try decode(delivery)
                    try await context.meters.timing(delivery) { try await handler(delivery.with(event), tx) }
                    handled.append(delivery)
                } catch {
                    guard isolating else { throw FailedWithoutSavepoints(eventID: delivery.eventID, error: error) }
                    try await tx.run(script: "ROLLBACK TO SAVEPOINT mq_delivery; RELEASE SAVEPOINT mq_delivery")
                    savepointOpen = false
                    try await recordFailure(delivery, error: error, context, on: tx)
                }
            }
            if savepointOpen { try await tx.run(script: "RELEASE SAVEPOINT mq_delivery") }
            if !handled.isEmpty {
                tx.afterCommit { [handled] in context.meters.handled(handled) }
                try await tx.commit(after: "SELECT mq.ack($1, $2)", [context.consumer, handled.map(\.eventID)])
            }
            return claimed
        }
    }

    /// Claims a batch under a lease and commits; runs the handlers concurrently (one per key at
    /// most, so per-key order holds), then acknowledges the successes together.
    private func handleLeasedBatch(
        _ context: BatchContext, after: Int64?, lease: Duration, _ handler: @escaping LeasedHandler
    ) async throws -> [ClaimedRow] {
        let leaseText = "\(lease.inMilliseconds) milliseconds"
        let claimed = try await context.pool.query(
            Self.claimSQL, [context.consumer, batchSize, maxAttempts, leaseText, after]
        ).map { try ClaimedRow($0) }
        guard !claimed.isEmpty else { return [] }
        let outcomes = await withTaskGroup(of: (ClaimedRow, (any Error)?).self) { group in
            for delivery in claimed {
                group.addTask {
                    do {
                        let event = try self.decode(delivery)
                        try await context.meters.timing(delivery) { try await handler(delivery.with(event)) }
                        return (delivery, nil)
                    } catch {
                        return (delivery, error)
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let handled = outcomes.filter { $0.1 == nil }.map(\.0)
        try await context.pool.withConnection { connection in
            if !handled.isEmpty {
                try await connection.query("SELECT mq.ack($1, $2)", [context.consumer, handled.map(\.eventID)])
                context.meters.handled(handled)
            }
            for case (let delivery, let error?) in outcomes {
                try await recordFailure(delivery, error: error, context, on: connection)
            }
        }
        return claimed
    }

    private func decode(_ delivery: ClaimedRow) throws -> Event {
        do {
            return try EventJSON.decode(Event.self, from: delivery.payload, topic: delivery.topic)
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
        let state = try await connection.query(
            "SELECT mq.fail($1, $2, $3, clock_timestamp() + $4 * interval '1 millisecond', $5)",
            [context.consumer, delivery.eventID, "\(error)", Int64(milliseconds), maxAttempts]
        ).single().decode(String?.self, at: 0)
        // Noted once the database has it: a timer set from before could fire before the retry is due.
        context.due.note(.now + wait)
        let fields: [String: LogValue] = [
            "consumer": .string(context.consumer), "event": .int(Int(delivery.eventID)), "topic": .string(delivery.topic),
            "attempt": .int(delivery.attempt), "error": .string("\(error)"),
        ]
        if state == "dead" {
            context.logger.error("delivery is dead after its last try", fields)
        } else {
            context.logger.warning("delivery failed; will retry", fields.merging(["retryInMs": .int(Int(milliseconds))]) { $1 })
        }
    }
}
