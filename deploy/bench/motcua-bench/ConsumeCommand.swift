import Glibc
import Observability
import Postgres
import Queue

/// `motcua-bench consume`: one consumer process for the destruction tests, which kill it and start
/// others. Each delivery leaves an effect row (once per event: the insert ignores an existing one)
/// and a try row (every time); both in the delivery's transaction in transactional mode, in one
/// autocommit statement of their own in leased mode. Exits 0 once `expect` effects exist and the
/// consumer has no delivery left.
struct ConsumeCommand {
    var expect: Int
    var settings: BenchConsumerSettings

    static let effectSQL = """
        WITH try AS (INSERT INTO reporting.bench_attempts (event_id, attempt, pid) VALUES ($1, $2, $3))
        INSERT INTO reporting.bench_effects (event_id, key, seq) VALUES ($1, $4, $5) ON CONFLICT (event_id) DO NOTHING
        """

    func run(database: BenchDatabase, logger: Logger) async throws {
        let pool = database.pool(as: "reporting", maxConnections: 3)
        let pid = getpid()
        logger.info(
            "consume started",
            [
                "pid": .int(Int(pid)), "consumer": .string(settings.name), "mode": .string(settings.mode.rawValue),
                "expect": .int(expect),
            ])
        let consumer = settings.consumer { delivery, tx in
            let parameters: [any PostgresEncodable] = [
                delivery.eventID, delivery.attempt, pid, delivery.event.key, delivery.event.seq,
            ]
            if let tx {
                try await tx.execute(Self.effectSQL, parameters)
            } else {
                try await pool.query(Self.effectSQL, parameters)
            }
        }
        let running = Task { try await consumer.run(pool: pool, logger: logger) }
        while !(try await isDone(database: database, pool: pool, logger: logger)) {
            try await Task.sleep(for: .milliseconds(100))
        }
        consumer.stop()
        try await running.value
        await pool.close()
        logger.info("consume finished", ["pid": .int(Int(pid))])
    }

    /// Whether every expected effect exists and nothing is left to deliver; false while the
    /// database cannot be reached (the consumer keeps trying on its own meanwhile).
    private func isDone(database: BenchDatabase, pool: PostgresPool, logger: Logger) async throws -> Bool {
        do {
            let effects = try await pool.query("SELECT count(*) FROM reporting.bench_effects").single()
                .decode(Int.self, at: 0)
            guard effects >= expect else { return false }
            return try await database.outstandingDeliveries(of: settings.name, on: pool) == 0
        } catch {
            logger.warning("progress check failed", ["error": .string("\(error)")])
            return false
        }
    }
}
