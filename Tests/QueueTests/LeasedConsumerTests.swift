import AsyncTestSupport
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
                try await eventually("30 reports delivered") {
                    seen.withLock { $0.values.map(\.count).reduce(0, +) } == 30
                }
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
            let claim = "SELECT event_id, attempt FROM mq.claim('reporting.centre', 10, 3, '1 second')"
            // A consumer claims it and dies without acknowledging (a 1 s lease: a 200 ms one expired
            // between two claims on a loaded machine).
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
                try await eventually("third try succeeded", within: .seconds(10)) {
                    attempts.withLock { $0 } == [1, 2, 3]
                }
                await intake.close()
            }
            await reporting.close()
        }
    }
    @Test func leaseOfAHandlerLongerThanTheLeaseIsRenewedSoNoSecondHandlerOfItsKeyStarts() async throws {
        try await withQueueDatabase("mqrenew") { database in
            let inFlight = Atomic<Int>(0)
            let mostInFlight = Atomic<Int>(0)
            let calls = Atomic<Int>(0)
            // Two instances, each looking for work every 50 ms; a 1 s lease; a 3 s call.
            let instances = (0..<2).map { _ in
                Consumer<Numbered>(
                    name: "reporting.centre", topics: ["report.published"], lease: .seconds(1),
                    pollInterval: .milliseconds(50)
                ) { _ in
                    calls.add(1, ordering: .sequentiallyConsistent)
                    let now = inFlight.add(1, ordering: .sequentiallyConsistent).newValue
                    mostInFlight.max(now, ordering: .sequentiallyConsistent)
                    try await Task.sleep(for: .seconds(3))
                    inFlight.subtract(1, ordering: .sequentiallyConsistent)
                }
            }
            let pools = instances.map { _ in database.pool(as: "reporting", maxConnections: 3) }
            let running = zip(instances, pools).map { instance, pool in
                Task { try await instance.run(pool: pool, logger: testLogger) }
            }
            try await eventually("both instances subscribed") { instances.allSatisfy(\.isRunning) }
            let intake = database.pool(as: "intake")
            try await intake.transaction { tx in
                try await tx.publish("report.published", key: "L1", Numbered(key: "L1", seq: 1))
            }
            try await eventually("handled and acknowledged", within: .seconds(20)) {
                try await pools[0].query("SELECT count(*) FROM mq.stats() WHERE consumer = 'reporting.centre'")
                    .single().decode(Int.self, at: 0) == 0
            }
            for instance in instances { instance.stop() }
            for task in running { try await task.value }
            #expect(calls.load(ordering: .sequentiallyConsistent) == 1)
            #expect(mostInFlight.load(ordering: .sequentiallyConsistent) == 1)
            for pool in pools + [intake] { await pool.close() }
        }
    }

    @Test func stopAfterItsGraceReleasesTheLeaseOfAnUnfinishedHandlerForAnotherInstance() async throws {
        try await withQueueDatabase("mqrelease") { database in
            let reporting = database.pool(as: "reporting", maxConnections: 3)
            let started = Atomic<Bool>(false)
            let slow = Consumer<Numbered>(
                name: "reporting.centre", topics: ["report.published"], lease: .seconds(60), stopGrace: .seconds(1)
            ) { _ in
                started.store(true, ordering: .sequentiallyConsistent)
                await waitIgnoringCancellation(seconds: 30)
            }
            let running = Task { try await slow.run(pool: reporting, logger: testLogger) }
            try await eventually("subscribed") { slow.isRunning }
            let intake = database.pool(as: "intake")
            try await intake.transaction { tx in
                try await tx.publish("report.published", key: "Q4", Numbered(key: "Q4", seq: 1))
            }
            try await eventually("the slow call is in flight") { started.load(ordering: .sequentiallyConsistent) }
            let stoppedAt = ContinuousClock.now
            slow.stop()
            try await running.value
            // The handler would hold it 30 s; run returns after the 1 s grace (with room for a loaded
            // machine), and the lease is released rather than left for its 60 s.
            #expect(ContinuousClock.now - stoppedAt < .seconds(5), "run returns within the grace, not after the handler")
            // Released, not waiting for its 60 s lease: due now.
            let (pending, waiting) = try await reporting.query(
                "SELECT pending, waiting FROM mq.stats() WHERE consumer = 'reporting.centre'"
            ).single().decode(Int.self, Int.self)
            #expect(pending == 1 && waiting == 0)
            let attempts = Mutex<[Int]>([])
            let fresh = Consumer<Numbered>(
                name: "reporting.centre", topics: ["report.published"], lease: .seconds(60),
                pollInterval: .milliseconds(200)
            ) { delivery in attempts.withLock { $0.append(delivery.attempt) } }
            try await whileRunning(fresh, on: reporting) {
                try await eventually("another instance handles it at once", within: .seconds(5)) {
                    attempts.withLock { $0 } == [1]
                }
            }
            await intake.close()
            await reporting.close()
        }
    }
}
