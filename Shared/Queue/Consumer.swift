import Foundation
import Observability
import Postgres
import Synchronization

/// Handles the events of some topics for the calling service role, in transactional mode: the
/// handler's writes and the delivery's acknowledgement commit together, so an effect inside the
/// database happens exactly once.
///
/// The consumer is the database role of the pool it runs on (`session_user`): `mq`'s functions
/// hand a role only its own deliveries. Several instances of one consumer share the work; events
/// of one key are handled one at a time, in publication order.
public final class Consumer<Event: Decodable & Sendable>: Sendable {
    /// Handles one delivery inside the batch's transaction; throwing counts as a failed try.
    public typealias Handler = @Sendable (Delivery<Event>, PostgresTransaction) async throws -> Void

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
    private let handler: Handler
    private let stopping = Atomic<Bool>(false)
    private let wakeUp = Mutex<AsyncStream<Void>.Continuation?>(nil)

    public init(
        topics: [String], batchSize: Int = 32, maxAttempts: Int = 10, backoff: Backoff = Backoff(),
        pollInterval: Duration = .seconds(5), fromBeginning: Bool = false, handler: @escaping Handler
    ) {
        precondition(!topics.isEmpty && batchSize > 0 && maxAttempts > 0, "a consumer needs topics, a batch and a try")
        self.topics = topics
        self.batchSize = batchSize
        self.maxAttempts = maxAttempts
        self.backoff = backoff
        self.pollInterval = pollInterval
        self.fromBeginning = fromBeginning
        self.handler = handler
    }

    /// Subscribes, then handles deliveries until `stop()` or cancellation, which let the batch in
    /// flight finish (commit or roll back) before returning.
    ///
    /// It drains on start, on every NOTIFY on `mq_<role>`, on every (re)connection of the
    /// listener, and every `pollInterval`: a lost notification delays a delivery, never loses it.
    /// A failing batch (database down) is logged and tried again at the next wake-up.
    /// One `run` at a time per `Consumer`; run more instances (processes) to share the work.
    /// - Parameter listening: where the listener connects; the pool's configuration by default.
    public func run(pool: PostgresPool, listening: PostgresConfiguration? = nil, logger: Logger) async throws {
        let role = try await pool.query("SELECT session_user::text").single().decode(String.self, at: 0)
        try await pool.query("SELECT mq.subscribe($1, $2)", [topics, fromBeginning])
        let (wakes, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        wakeUp.withLock { $0 = wake }
        defer { wakeUp.withLock { $0 = nil } }
        if isStopping { wake.finish() }
        wake.yield()
        let listener = PostgresListener(
            configuration: listening ?? pool.configuration, channels: ["mq_" + role], logger: logger)
        logger.info("consumer started", ["consumer": .string(role), "topics": .string(topics.joined(separator: ","))])
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
            for await _ in wakes where !isStopping {
                await drain(pool: pool, logger: logger)
            }
            listener.stop()
            group.cancelAll()
        }
        logger.info("consumer stopped", ["consumer": .string(role)])
    }

    /// Asks `run` to return once the batch in flight is done; a stopped consumer stays stopped.
    public func stop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        wakeUp.withLock { $0?.finish() }
    }

    private var isStopping: Bool { stopping.load(ordering: .sequentiallyConsistent) || Task.isCancelled }

    /// Handles batches until none is due. Each batch runs in its own task, which cancellation
    /// of `run` does not reach, so a stop never interrupts a handler halfway.
    private func drain(pool: PostgresPool, logger: Logger) async {
        while !isStopping {
            let batch = Task { try await handleBatch(pool: pool, logger: logger) }
            do {
                guard try await batch.value > 0 else { return }
            } catch {
                logger.error("queue batch failed; retrying at the next wake-up", ["error": .string("\(error)")])
                return
            }
        }
    }

    /// Claims a batch, runs the handler on each delivery under its own savepoint, records the
    /// failures, acknowledges the rest, and commits. Returns how many deliveries were claimed.
    private func handleBatch(pool: PostgresPool, logger: Logger) async throws -> Int {
        try await pool.transaction { tx in
            let claimed = try await tx.query(
                "SELECT event_id, topic, key, payload::text, attempt, published_at FROM mq.claim($1)", [batchSize])
            var handled: [Int64] = []
            for row in claimed {
                let (eventID, topic, key, payload, attempt, publishedAt) = try row.decode(
                    Int64.self, String.self, String.self, String.self, Int.self, Date.self)
                try await tx.execute("SAVEPOINT mq_delivery")
                do {
                    let event = try decode(payload, eventID: eventID, topic: topic)
                    try await handler(
                        Delivery(
                            eventID: eventID, topic: topic, key: key, attempt: attempt, publishedAt: publishedAt,
                            event: event), tx)
                    try await tx.execute("RELEASE SAVEPOINT mq_delivery")
                    handled.append(eventID)
                } catch {
                    try await tx.execute("ROLLBACK TO SAVEPOINT mq_delivery")
                    try await tx.execute("RELEASE SAVEPOINT mq_delivery")
                    try await recordFailure(
                        eventID, topic: topic, attempt: attempt, error: error, in: tx, logger: logger)
                }
            }
            if !handled.isEmpty { try await tx.query("SELECT mq.ack($1)", [handled]) }
            return claimed.count
        }
    }

    private func decode(_ payload: String, eventID: Int64, topic: String) throws -> Event {
        do {
            return try EventJSON.decode(Event.self, from: payload, topic: topic)
        } catch {
            throw UndecodablePayload(eventID: eventID, topic: topic, type: "\(Event.self)", reason: "\(error)")
        }
    }

    private func recordFailure(
        _ eventID: Int64, topic: String, attempt: Int, error: any Error, in tx: PostgresTransaction, logger: Logger
    ) async throws {
        let wait = backoff.delay(afterAttempt: attempt)
        let milliseconds = wait.components.seconds * 1000 + wait.components.attoseconds / 1_000_000_000_000_000
        let state = try await tx.query(
            "SELECT mq.fail($1, $2, now() + $3 * interval '1 millisecond', $4)",
            [eventID, "\(error)", Int64(milliseconds), maxAttempts]
        ).single().decode(String?.self, at: 0)
        let fields: [String: LogValue] = [
            "event": .int(Int(eventID)), "topic": .string(topic), "attempt": .int(attempt),
            "error": .string("\(error)"),
        ]
        if state == "dead" {
            logger.error("delivery is dead after its last try", fields)
        } else {
            logger.warning("delivery failed; will retry", fields.merging(["retryInMs": .int(Int(milliseconds))]) { $1 })
        }
    }
}
