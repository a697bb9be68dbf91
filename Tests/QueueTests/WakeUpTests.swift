import AsyncTestSupport
import Observability
import Postgres
import PostgresTestSupport
import Queue
import Synchronization
import Testing

/// Wake-ups go out after commits, coalesced; none may be lost.
@Suite struct WakeUpTests {
    @Test func idleConsumerIsWokenForEveryCommitFromEightConcurrentPublishersWithoutPolling() async throws {
        try await withQueueDatabase("mqwake") { database in
            let reporting = database.pool(as: "reporting", maxConnections: 2)
            let handled = Atomic<Int>(0)
            let consumer = Consumer<Numbered>(topics: ["dossier.received"], pollInterval: .seconds(3600)) { _, _ in
                handled.add(1, ordering: .relaxed)
            }
            try await whileRunning(consumer, on: reporting) {
                try await eventually("subscribed") { consumer.isRunning }
                let intake = database.pool(as: "intake", maxConnections: 8)
                // Rounds of 8 concurrent single-event transactions; after each round the consumer
                // goes idle again, so each round needs a wake-up that arrives after its commits.
                for round in 0..<20 {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for publisher in 0..<8 {
                            group.addTask {
                                let key = "H01-\(round)-\(publisher)"
                                try await intake.transaction { tx in
                                    try await tx.publish("dossier.received", key: key, Numbered(key: key, seq: round))
                                }
                            }
                        }
                        try await group.waitForAll()
                    }
                    try await eventually("round \(round) handled", within: .seconds(10)) {
                        handled.load(ordering: .relaxed) == (round + 1) * 8
                    }
                }
                await intake.close()
            }
            await reporting.close()
        }
    }

    @Test func metricsShowHandledCountsLatencyAndBacklog() async throws {
        try await withQueueDatabase("mqmetrics") { database in
            let reporting = database.pool(as: "reporting", maxConnections: 2)
            let registry = MetricsRegistry()
            let consumer = Consumer<Numbered>(topics: ["dossier.received"], pollInterval: .milliseconds(100)) { _, _ in
            }
            let running = Task { try await consumer.run(pool: reporting, metrics: registry, logger: testLogger) }
            try await eventually("subscribed") { consumer.isRunning }
            let intake = database.pool(as: "intake")
            try await intake.transaction { tx in
                try await tx.publish("dossier.received", [(key: "A", event: Numbered(key: "A", seq: 1))])
            }
            try await eventually("handled") {
                registry.counter("mq_handled_total", help: "").value([
                    ("consumer", "reporting"), ("topic", "dossier.received"),
                ]) == 1
            }
            consumer.stop()
            try await running.value
            // A backlog while the consumer is stopped shows in the scrape.
            try await intake.transaction { tx in
                try await tx.publish("dossier.received", [(key: "B", event: Numbered(key: "B", seq: 1))])
            }
            let text = await registry.render()
            #expect(text.contains(#"mq_publish_to_handler_seconds_count{consumer="reporting"} 1"#))
            #expect(text.contains(#"mq_handler_duration_seconds_count{consumer="reporting"} 1"#))
            #expect(text.contains(#"mq_pending{consumer="reporting",topic="dossier.received"} 1"#))
            #expect(text.contains(#"mq_dead{consumer="reporting",topic="dossier.received"} 0"#))
            #expect(text.contains("mq_oldest_pending_age_seconds{"))
            await intake.close()
            await reporting.close()
        }
    }
}
