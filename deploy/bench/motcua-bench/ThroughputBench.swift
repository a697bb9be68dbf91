import Observability
import Postgres
import Queue
import Synchronization

/// `motcua-bench queue`: events per second from the first publish to the last acknowledgement,
/// with several publishers and consumer instances at once and handlers that do nothing.
struct ThroughputBench {
    var jobs: Int
    var publishers: Int
    /// Events per publishing transaction.
    var publishBatch: Int
    var instances: Int
    /// Keep a REPEATABLE READ transaction idle beside the run, its snapshot holding back the
    /// removal of every row deleted meanwhile (vacuum's and index scans' alike).
    var idleSnapshot: Bool
    var settings: BenchConsumerSettings

    func run(database: BenchDatabase, logger: Logger) async throws {
        let admin = PostgresPool(configuration: database.superuser, maxConnections: 1)
        let intake = database.pool(as: "intake", maxConnections: publishers)
        guard try await database.outstandingDeliveries(of: settings.name, on: admin) == 0 else {
            throw BenchFailure("consumer \(settings.name) has deliveries left from an earlier run; use a fresh database")
        }
        print("CONFIG mode=\(settings.mode) jobs=\(jobs) publishers=\(publishers) publish_batch=\(publishBatch)"
            + " consumers=\(instances) consume_batch=\(settings.batchSize) idle_snapshot=\(idleSnapshot)")
        let idle = try await idleSnapshot ? PostgresConnection.connect(database.superuser) : nil
        if let idle { try await idle.run(script: "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM mq.events") }

        let handled = Atomic<Int>(0)
        let consumers = try await RunningConsumers.start(
            instances, settings, database: database, admin: admin, logger: logger
        ) { _, _ in handled.add(1, ordering: .relaxed) }

        let keys = max(1, jobs / 20)
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for publisher in 0..<publishers {
                group.addTask {
                    let mine = Array(stride(from: publisher, to: jobs, by: publishers))
                    for start in stride(from: 0, to: mine.count, by: publishBatch) {
                        let batch = mine[start..<min(start + publishBatch, mine.count)].map {
                            (key: "K\($0 % keys)", event: BenchEvent(key: "K\($0 % keys)", seq: $0 / keys))
                        }
                        _ = try await intake.transaction { tx in try await tx.publish(settings.topic, batch) }
                    }
                }
            }
            try await group.waitForAll()
        }
        let published = ContinuousClock.now - started
        try await waitUntil("\(jobs) events handled", within: .seconds(max(60, jobs / 500))) {
            handled.load(ordering: .relaxed) >= jobs
        }
        try await waitUntil("every delivery acknowledged", within: .seconds(30)) {
            try await database.outstandingDeliveries(of: settings.name, on: admin) == 0
        }
        let elapsed = ContinuousClock.now - started
        if let idle {
            try await idle.run(script: "ROLLBACK")
            await idle.close()
        }
        try await consumers.stop()
        await intake.close()
        await admin.close()

        report("publish_msgs_per_s", Double(jobs) / published.inSeconds)
        report("throughput_msgs_per_s", Double(jobs) / elapsed.inSeconds)
        if handled.load(ordering: .relaxed) > jobs {
            print("NOTE handled \(handled.load(ordering: .relaxed)) times for \(jobs) events (retried batches)")
        }
    }
}
