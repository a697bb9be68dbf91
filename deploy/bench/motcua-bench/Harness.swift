import Observability
import Postgres
import Queue

/// Instances of one bench consumer running in this process, each on a pool of its own, as role
/// `reporting`, like separate replicas of the reporting service.
struct RunningConsumers {
    private let consumers: [Consumer<BenchEvent>]
    private let pools: [PostgresPool]
    private let tasks: [Task<Void, any Error>]

    /// Starts `count` instances and returns once the consumer is subscribed to its topic, so that
    /// everything published afterwards reaches it.
    static func start(
        _ count: Int, _ settings: BenchConsumerSettings, database: BenchDatabase, admin: PostgresPool,
        logger: Logger, handler: @escaping BenchHandler
    ) async throws -> RunningConsumers {
        let consumers = (0..<count).map { _ in settings.consumer(handler) }
        let pools = consumers.map { _ in database.pool(as: "reporting", maxConnections: 2) }
        let tasks = zip(consumers, pools).map { consumer, pool in
            Task { try await consumer.run(pool: pool, logger: logger) }
        }
        let running = RunningConsumers(consumers: consumers, pools: pools, tasks: tasks)
        do {
            try await waitUntil("consumer \(settings.name) subscribed to \(settings.topic)", within: .seconds(30)) {
                try await admin.query(
                    "SELECT count(*) FROM mq.subscriptions WHERE consumer = $1 AND topic = $2",
                    [settings.name, settings.topic]
                ).single().decode(Int.self, at: 0) == 1
            }
        } catch {
            try? await running.stop()
            throw error
        }
        return running
    }

    /// Stops every instance, waits for their batches in flight, and closes their pools.
    func stop() async throws {
        for consumer in consumers { consumer.stop() }
        for task in tasks { try await task.value }
        for pool in pools { await pool.close() }
    }
}

/// Waits for `condition` to hold, checking every few milliseconds; fails after `limit`.
func waitUntil(_ what: String, within limit: Duration, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + limit
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw BenchFailure("timed out after \(limit) waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(5))
    }
}

/// A run that did not complete or did not check out; exit status 1.
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One `FIGURE name value` line: what a driver script greps for.
func report(_ name: String, _ value: Double) {
    print("FIGURE \(name) \((value * 100).rounded() / 100)")
}
