import Foundation
import Observability
import Postgres
import Synchronization

/// What a service runs: a consumer of some topics, type-erased so `ServiceKit` can start, stop
/// and report on a service's consumers together.
public protocol QueueConsumer: Sendable {
    /// The consumer's name, if fixed; otherwise the pool's role.
    var name: String? { get }
    /// Handles deliveries until `stop()` or cancellation.
    func run(pool: PostgresPool, metrics: MetricsRegistry, logger: Logger) async throws
    func stop()
    /// Whether `run` is subscribed and handling (for `/readyz`).
    var isRunning: Bool { get }
}

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
        name: String? = nil, topics: [String], batchSize: Int = 32, maxAttempts: Int = 10,
        backoff: Backoff = Backoff(), pollInterval: Duration = .seconds(5), fromBeginning: Bool = false,
        handler: @escaping TransactionalHandler
    ) {
        self.init(
            name: name, topics: topics, batchSize: batchSize, maxAttempts: maxAttempts, backoff: backoff,
            pollInterval: pollInterval, fromBeginning: fromBeginning, mode: .transactional(handler))
    }

    /// A leased consumer: each claimed delivery is its own for `lease`, then claimable again.
    public convenience init(
        name: String? = nil, topics: [String], lease: Duration, batchSize: Int = 32, maxAttempts: Int = 10,
        backoff: Backoff = Backoff(), pollInterval: Duration = .seconds(5), fromBeginning: Bool = false,
        handler: @escaping LeasedHandler
    ) {
        self.init(
            name: name, topics: topics, batchSize: batchSize, maxAttempts: maxAttempts, backoff: backoff,
            pollInterval: pollInterval, fromBeginning: fromBeginning, mode: .leased(lease, handler))
    }

    init(
        name: String?, topics: [String], batchSize: Int, maxAttempts: Int, backoff: Backoff, pollInterval: Duration,
        fromBeginning: Bool, mode: Mode
    ) {
        precondition(!topics.isEmpty && batchSize > 0 && maxAttempts > 0, "a consumer needs topics, a batch and a try")
        self.name = name
        self.topics = topics
        self.batchSize = batchSize
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
    /// again at the next wake-up. Run more instances (processes) to share the work.
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
            consumer: consumer, pool: pool, logger: logger, meters: QueueMeters(metrics, consumer: consumer))
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
                    wake.yield()
                }
            }
            var retryTimer: Task<Void, Never>?
            for await _ in wakes where !isStopping {
                await drain(context)
                retryTimer?.cancel()
                retryTimer = await wakeWhenDue(context, wake: wake)
            }
            retryTimer?.cancel()
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
    }

    /// Handles batches until none is due. Each batch runs in its own task, which cancellation
    /// of `run` does not reach, so a stop never interrupts a handler halfway.
    private func drain(_ context: BatchContext) async {
        while !isStopping {
            let batch = Task { try await handleBatch(context) }
            do {
                guard try await batch.value > 0 else { return }
            } catch {
                context.logger.error(
                    "queue batch failed; retrying at the next wake-up",
                    ["consumer": .string(context.consumer), "error": .string("\(error)")])
                return
            }
        }
    }

    /// A timer that wakes the consumer when its earliest retry or lease falls due, if that comes
    /// before the next poll.
    private func wakeWhenDue(_ context: BatchContext, wake: AsyncStream<Void>.Continuation) async -> Task<Void, Never>? {
        guard
            let due = try? await context.pool.query("SELECT mq.next_due($1)", [context.consumer]).single()
                .decode(Date?.self, at: 0)
        else { return nil }
        let wait = Duration.milliseconds(Int64(max(0, due.timeIntervalSinceNow) * 1000) + 1)
        guard wait < pollInterval else { return nil }
        return Task {
            try? await Task.sleep(for: wait)
            if !Task.isCancelled { wake.yield() }
        }
    }

    /// Claims and handles one batch; returns how many deliveries were claimed.
    private func handleBatch(_ context: BatchContext) async throws -> Int {
        switch mode {
        case .transactional(let handler): try await handleTransactionalBatch(context, handler)
        case .leased(let lease, let handler): try await handleLeasedBatch(context, lease: lease, handler)
        }
    }

    private static var claimSQL: String {
        "SELECT event_id, topic, key, payload::text, attempt, published_at FROM mq.claim($1, $2, $3, $4::interval)"
    }

    /// Claims a batch, runs the handler on each delivery under its own savepoint, records the
    /// failures, acknowledges the rest, and commits: all in one transaction.
    private func handleTransactionalBatch(_ context: BatchContext, _ handler: TransactionalHandler) async throws -> Int {
        try await context.pool.transaction { tx in
            let claimed = try await tx.query(
                Self.claimSQL, [context.consumer, batchSize, maxAttempts, String?.none])
            var handled: [Int64] = []
            // One savepoint before each delivery: a success moves it forward (one round trip),
            // a failure rolls back to it and keeps it; COMMIT releases the last one.
            var savepoint = "SAVEPOINT mq_delivery"
            for row in claimed {
                let delivery = try ClaimedRow(row)
                if !savepoint.isEmpty { try await tx.connection.run(script: savepoint) }
                do {
                    let event = try decode(delivery)
                    try await context.meters.timing(delivery) { try await handler(delivery.with(event), tx) }
                    handled.append(delivery.eventID)
                    savepoint = "RELEASE SAVEPOINT mq_delivery; SAVEPOINT mq_delivery"
                } catch {
                    try await tx.execute("ROLLBACK TO SAVEPOINT mq_delivery")
                    try await recordFailure(delivery, error: error, context, on: tx.connection)
                    savepoint = ""
                }
            }
            if !handled.isEmpty { try await tx.query("SELECT mq.ack($1, $2)", [context.consumer, handled]) }
            return claimed.count
        }
    }

    /// Claims a batch under a lease and commits; runs the handlers concurrently (one per key at
    /// most, so per-key order holds), then acknowledges the successes together.
    private func handleLeasedBatch(_ context: BatchContext, lease: Duration, _ handler: @escaping LeasedHandler)
        async throws -> Int
    {
        let leaseText = "\(lease.inMilliseconds) milliseconds"
        let claimed = try await context.pool.query(
            Self.claimSQL, [context.consumer, batchSize, maxAttempts, leaseText]
        ).map { try ClaimedRow($0) }
        guard !claimed.isEmpty else { return 0 }
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
        let handled = outcomes.filter { $0.1 == nil }.map(\.0.eventID)
        try await context.pool.withConnection { connection in
            if !handled.isEmpty { try await connection.query("SELECT mq.ack($1, $2)", [context.consumer, handled]) }
            for case (let delivery, let error?) in outcomes {
                try await recordFailure(delivery, error: error, context, on: connection)
            }
        }
        return claimed.count
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
        _ delivery: ClaimedRow, error: any Error, _ context: BatchContext, on connection: PostgresConnection
    ) async throws {
        context.meters.failed(delivery)
        let wait = backoff.delay(afterAttempt: delivery.attempt)
        let milliseconds = wait.inMilliseconds
        let state = try await connection.query(
            "SELECT mq.fail($1, $2, $3, clock_timestamp() + $4 * interval '1 millisecond', $5)",
            [context.consumer, delivery.eventID, "\(error)", Int64(milliseconds), maxAttempts]
        ).single().decode(String?.self, at: 0)
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

/// A claimed delivery before its payload is decoded.
struct ClaimedRow: Sendable {
    let eventID: Int64
    let topic: String
    let key: String
    let payload: String
    let attempt: Int
    let publishedAt: Date

    init(_ row: PostgresRow) throws {
        (eventID, topic, key, payload, attempt, publishedAt) = try row.decode(
            Int64.self, String.self, String.self, String.self, Int.self, Date.self)
    }

    func with<E: Sendable>(_ event: E) -> Delivery<E> {
        Delivery(eventID: eventID, topic: topic, key: key, attempt: attempt, publishedAt: publishedAt, event: event)
    }
}
