import Foundation
import Observability
import Postgres

/// A consumer's metrics on `/metrics`: handled and failed tries, handler time, and the time from
/// publication (the event's insert, just before its commit) to the handler's start.
struct QueueMeters: Sendable {
    let consumer: String
    private let handled: Counter
    private let failures: Counter
    private let handlerSeconds: Histogram
    private let hopSeconds: Histogram

    init(_ registry: MetricsRegistry, consumer: String) {
        self.consumer = consumer
        handled = registry.counter("mq_handled_total", help: "Deliveries handled successfully, by consumer and topic.")
        failures = registry.counter("mq_failed_total", help: "Failed tries of deliveries, by consumer and topic.")
        handlerSeconds = registry.histogram("mq_handler_duration_seconds", help: "Time a handler took, in seconds.")
        hopSeconds = registry.histogram(
            "mq_publish_to_handler_seconds", help: "Time from an event's publication to its first handling, in seconds.")
    }

    /// Runs the handler, timing it (every call: a batch run again after a failure calls it again).
    func timing(_ delivery: ClaimedRow, _ handler: () async throws -> Void) async throws {
        let labels = [("consumer", consumer)]
        if delivery.attempt == 1 { hopSeconds.observe(max(0, -delivery.publishedAt.timeIntervalSinceNow), labels) }
        let start = ContinuousClock.now
        try await handler()
        let elapsed = ContinuousClock.now - start
        handlerSeconds.observe(elapsed.inSeconds, labels)
    }

    /// Counts deliveries whose handling is acknowledged (committed, in transactional mode).
    func handled(_ deliveries: [ClaimedRow]) {
        for delivery in deliveries { handled.increment([("consumer", consumer), ("topic", delivery.topic)]) }
    }

    func failed(_ delivery: ClaimedRow) {
        failures.increment([("consumer", consumer), ("topic", delivery.topic)])
    }

    /// Registers gauges read from `mq.stats()` at each scrape: deliveries due, waiting (retry or
    /// lease), dead, and the age of the oldest pending one, per topic.
    static func addBacklogCollector(_ registry: MetricsRegistry, pool: PostgresPool, consumer: String) {
        registry.addCollector {
            guard
                let rows = try? await pool.query(
                    "SELECT topic, pending, waiting, dead, oldest_pending FROM mq.stats() WHERE consumer = $1", [consumer])
            else { return [] }
            var samples: [Sample] = []
            for row in rows {
                guard let (topic, pending, waiting, dead, oldest) = try? row.decode(
                    String.self, Int64.self, Int64.self, Int64.self, Date?.self)
                else { continue }
                let labels = [("consumer", consumer), ("topic", topic)]
                samples.append(Sample(name: "mq_pending", help: "Deliveries due now.", labels: labels, value: Double(pending)))
                samples.append(
                    Sample(name: "mq_waiting", help: "Deliveries waiting for a retry or under a lease.", labels: labels,
                        value: Double(waiting)))
                samples.append(Sample(name: "mq_dead", help: "Dead deliveries.", labels: labels, value: Double(dead)))
                samples.append(
                    Sample(name: "mq_oldest_pending_age_seconds", help: "Age of the oldest pending delivery.",
                        labels: labels, value: oldest.map { max(0, -$0.timeIntervalSinceNow) } ?? 0))
            }
            return samples
        }
    }
}
