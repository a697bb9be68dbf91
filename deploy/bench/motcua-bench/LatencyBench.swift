import Foundation
import Observability
import Postgres
import Queue
import Synchronization

/// `motcua-bench latency`: the hop from a publish (the insert's clock, just before commit) to the
/// handler, one consumer instance, single-event transactions published at a fixed rate (event
/// `i` at `i / rate` seconds, by `publishers` connections taking turns, so that one connection's
/// round trips do not cap the rate).
struct LatencyBench {
    var rate: Int
    var seconds: Int
    var publishers: Int
    var settings: BenchConsumerSettings

    func run(database: BenchDatabase, logger: Logger) async throws {
        let admin = PostgresPool(configuration: database.superuser, maxConnections: 1)
        let intake = database.pool(as: "intake", maxConnections: publishers)
        let total = rate * seconds
        print("CONFIG mode=\(settings.mode) rate=\(rate) seconds=\(seconds) publishers=\(publishers) consume_batch=\(settings.batchSize)")

        let hops = Mutex<[Double]>([])
        let consumer = try await RunningConsumers.start(1, settings, database: database, admin: admin, logger: logger) {
            delivery, _ in
            let milliseconds = Date().timeIntervalSince(delivery.publishedAt) * 1000
            hops.withLock { $0.append(milliseconds) }
        }
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for publisher in 0..<publishers {
                group.addTask {
                    for index in stride(from: publisher, to: total, by: publishers) {
                        try await Task.sleep(until: started + .seconds(Double(index) / Double(rate)), clock: .continuous)
                        _ = try await intake.transaction { tx in
                            try await tx.publish(
                                settings.topic, key: "K\(index % 100)", BenchEvent(key: "K\(index % 100)", seq: index))
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let publishing = ContinuousClock.now - started
        try await waitUntil("\(total) events handled", within: .seconds(60)) { hops.withLock { $0.count } >= total }
        try await consumer.stop()
        await intake.close()
        await admin.close()

        let sorted = hops.withLock { $0 }.sorted()
        func percentile(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        report("achieved_rate_msgs_per_s", Double(total) / publishing.inSeconds)
        report("hop_p50_ms", percentile(0.50))
        report("hop_p99_ms", percentile(0.99))
        report("hop_max_ms", sorted.last ?? 0)
    }
}
