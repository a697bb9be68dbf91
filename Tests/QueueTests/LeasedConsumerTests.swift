import Observability
import Postgres
import PostgresTestSupport
import Queue
import Synchronization
import Testing

/// The leased mode: claim with a lease, handle outside the database, acknowledge afterwards.
@Suite struct LeasedConsumerTests {
    struct GatewayDown: Error {}

    @Test func leasedHandlersRunOutsideTheTransactionOncePerEventInKeyOrder() async throws {
        try await withQueueDatabase("mqlease") { database in
            let reporting = database.pool(as: "reporting", maxConnections: 3)
            let seen = Mutex<[String: [Int]]>([:])
            let consumer = Consumer<Numbered>(
                name: "reporting.centre", topics: ["report.published"], lease: .seconds(30), batchSize: 8,
                pollInterval: .milliseconds(200)
            ) { delivery in
                // A slow call to the province centre: handlers of one batch overlap (different keys).
                try await Task.sleep(for: .milliseconds(5))
                seen.withLock { $0[delivery.key, default: []].append(delivery.event.seq) }
            }
            try await whileRunning(consumer, on: reporting) {
                try await eventually("subscribed") { consumer.isRunning }
                let intake = database.pool(as: "intake")
                for seq in 0..<10 {
                    try await intake.transaction { tx in
                        for key in ["R1", "R2", "R3"] {
                            try await tx.publish("report.published", key: key, Numbered(key: key, seq: seq))
                        }
                    }
                }
                try await eventually("30 reports delivered") { seen.withLock { $0.values.map(\.count).reduce(0, +) } == 30 }
                try await eventually("all acknowledged") {
                    try await reporting.query("SELECT count(*) FROM mq.stats() WHERE consumer = 'reporting.centre'")
                        .single().decode(Int.self, at: 0) == 0
                }
                await intake.close()
            }
            for (_, sequence) in seen.withLock({ $0 }) { #expect(sequence == Array(0..<10)) }
            await reporting.close()
        }
    }

    @Test func expiredLeaseMakesTheDeliveryClaimableAgainAndCountsAsATry() async throws {
        try await withQueueDatabase("mqexpire") { database in
            let reporting = database.pool(as: "reporting", maxConnections: 1)
            try await reporting.query("SELECT mq.subscribe('reporting.centre', $1, false)", [["report.published"]])
            let intake = database.pool(as: "intake")
            let id = try await intake.transaction { tx in
                try await tx.publish("report.published", key: "Q4", Numbered(key: "Q4", seq: 1))
            }
            let claim = "SELECT event_id, attempt FROM mq.claim('reporting.centre', 10, 3, '200 milliseconds')"
            // A consumer claims it and dies without acknowledging.
            let first = try await reporting.query(claim).single().decode(Int64.self, Int.self)
            #expect(first == (id, 1))
            #expect(try await reporting.query(claim).isEmpty)  // leased: nobody else gets it meanwhile
            try await eventually("the lease expired and the delivery came back") {
                let again = try await reporting.query(claim)
                guard let row = again.first else { return false }
                #expect(try row.decode(Int64.self, Int.self) == (id, 2))
                return true
            }
            // Expiring at the last try makes it dead rather than handing it out forever.
            try await eventually("second lease expired; third try") { try await !reporting.query(claim).isEmpty }
            try await eventually("dead after three expired leases") {
                _ = try await reporting.query(claim)
                return try await reporting.query("SELECT dead FROM mq.stats() WHERE consumer = 'reporting.centre'")
                    .single().decode(Int.self, at: 0) == 1
            }
            let dead = try await reporting.query("SELECT last_error FROM mq.dead('reporting.centre')").single()
            #expect(try dead.decode(String.self, at: 0).contains("lease expired"))
            await intake.close()
            await reporting.close()
        }
    }

    @Test func failedLeasedCallIsRetriedAfterItsBackoffWithoutWaitingForThePoll() async throws {
        try await withQueueDatabase("mqleaseretry") { database in
            let reporting = database.pool(as: "reporting", maxConnections: 3)
            let attempts = Mutex<[Int]>([])
            let consumer = Consumer<Numbered>(
                name: "reporting.centre", topics: ["report.published"], lease: .seconds(30),
                maxAttempts: 5, backoff: Backoff(initial: .milliseconds(100), maximum: .milliseconds(200)),
                pollInterval: .seconds(3600)
            ) { delivery in
                attempts.withLock { $0.append(delivery.attempt) }
                if delivery.attempt < 3 { throw GatewayDown() }
            }
            try await whileRunning(consumer, on: reporting) {
                try await eventually("subscribed") { consumer.isRunning }
                let intake = database.pool(as: "intake")
                try await intake.transaction { tx in
                    try await tx.publish("report.published", key: "M11", Numbered(key: "M11", seq: 1))
                }
                // The hour-long poll never fires: the retry timer wakes the consumer.
                try await eventually("third try succeeded", within: .seconds(10)) { attempts.withLock { $0 } == [1, 2, 3] }
                await intake.close()
            }
            await reporting.close()
        }
    }
}
