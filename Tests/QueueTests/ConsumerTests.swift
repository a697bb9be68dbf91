import AsyncTestSupport
import Postgres
import PostgresTestSupport
import Queue
import Synchronization
import Testing

/// The transactional consumer against a real database, consumers and publishers as service roles.
@Suite struct ConsumerTests {
    struct GatewayRefused: Error {}

    @Test func perKeyOrderHoldsAndEveryEffectExistsOnceWithTwoInstances() async throws {
        try await withQueueDatabase("mqorder") { database in
            let reporting = database.pool(as: "reporting")
            try await reporting.query(
                "CREATE TABLE reporting.handled (id bigserial PRIMARY KEY, key text NOT NULL, seq int NOT NULL, UNIQUE (key, seq))"
            )
            try await reporting.query("SELECT mq.subscribe(session_user, $1, $2)", [["dossier.status_changed"], false])
            let consumers = (0..<2).map { _ in
                Consumer<Numbered>(topics: ["dossier.status_changed"], batchSize: 16, pollInterval: .milliseconds(200))
                { delivery, tx in
                    #expect(delivery.key == delivery.event.key)
                    try await tx.execute(
                        "INSERT INTO reporting.handled (key, seq) VALUES ($1, $2)",
                        [delivery.event.key, delivery.event.seq])
                }
            }
            let keys = (0..<50).map { "K\($0)" }
            let intake = database.pool(as: "intake", maxConnections: 2)
            // Two publishers at once, each owning half the keys, publishing each key's 20 events together.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for half in [keys.prefix(25), keys.suffix(25)] {
                    group.addTask {
                        for key in half {
                            _ = try await intake.transaction { tx in
                                try await tx.publish(
                                    "dossier.status_changed",
                                    (0..<20).map { (key: key, event: Numbered(key: key, seq: $0)) })
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            // The whole backlog is there before the consumers start, so both instances find
            // several events of each key pending at once.
            let pools = consumers.map { _ in database.pool(as: "reporting") }
            let running = zip(consumers, pools).map { consumer, pool in
                Task { try await consumer.run(pool: pool, logger: testLogger) }
            }
            // A bound for a hang: beside the whole suite this test and ServerRestartTests have both
            // waited past 60 s together in some runs (issue 17's note; cause not yet found).
            try await eventually("1000 events handled", within: .seconds(180)) {
                try await reporting.query("SELECT count(*) FROM reporting.handled").single().decode(Int.self, at: 0)
                    == 1000
            }
            for consumer in consumers { consumer.stop() }
            for task in running { try await task.value }
            let sequences = try await reporting.query(
                "SELECT key, array_agg(seq ORDER BY id)::text FROM reporting.handled GROUP BY key ORDER BY key")
            #expect(sequences.count == 50)
            let inOrder = "{" + (0..<20).map(String.init).joined(separator: ",") + "}"
            for row in sequences {
                let (key, order) = try row.decode(String.self, String.self)
                #expect(order == inOrder, "\(key)")
            }
            let admin = database.pool(maxConnections: 1)
            #expect(try await admin.query("SELECT count(*) FROM mq.deliveries").single().decode(Int.self, at: 0) == 0)
            for pool in pools + [reporting, intake, admin] { await pool.close() }
        }
    }

    @Test func concurrentBatchesOfOneInstanceRunInParallelAndKeepEachKeysOrder() async throws {
        try await withQueueDatabase("mqworkers") { database in
            let reporting = database.pool(as: "reporting", maxConnections: 4)
            try await reporting.query(
                "CREATE TABLE reporting.handled (id bigserial PRIMARY KEY, key text NOT NULL, seq int NOT NULL, UNIQUE (key, seq))"
            )
            try await reporting.query("SELECT mq.subscribe(session_user, $1, $2)", [["dossier.status_changed"], false])
            let intake = database.pool(as: "intake")
            let keys = (0..<10).map { "K\($0)" }
            _ = try await intake.transaction { tx in
                for seq in 0..<6 {
                    try await tx.publish(
                        "dossier.status_changed", keys.map { (key: $0, event: Numbered(key: $0, seq: seq)) })
                }
            }
            let inFlight = Atomic<Int>(0)
            let mostInFlight = Atomic<Int>(0)
            let consumer = Consumer<Numbered>(
                topics: ["dossier.status_changed"], batchSize: 4, concurrency: 3, pollInterval: .milliseconds(200)
            ) { delivery, tx in
                let now = inFlight.add(1, ordering: .sequentiallyConsistent).newValue
                mostInFlight.max(now, ordering: .sequentiallyConsistent)
                try await tx.execute(
                    "INSERT INTO reporting.handled (key, seq) VALUES ($1, $2)",
                    [delivery.event.key, delivery.event.seq])
                try await Task.sleep(for: .milliseconds(20))
                inFlight.subtract(1, ordering: .sequentiallyConsistent)
            }
            try await whileRunning(consumer, on: reporting) {
                try await eventually("60 events handled") {
                    try await reporting.query("SELECT count(*) FROM reporting.handled").single().decode(Int.self, at: 0)
                        == 60
                }
            }
            #expect(mostInFlight.load(ordering: .sequentiallyConsistent) > 1)
            let orders = try await reporting.query(
                "SELECT array_agg(seq ORDER BY id)::text FROM reporting.handled GROUP BY key"
            ).map { try $0.decode(String.self, at: 0) }
            #expect(orders == Array(repeating: "{0,1,2,3,4,5}", count: 10))
            for pool in [reporting, intake] { await pool.close() }
        }
    }

    @Test func failingHandlerRetriesWithGrowingDelaysDiesWithItsErrorAndRedriveDeliversAgain() async throws {
        try await withQueueDatabase("mqretry") { database in
            let communication = database.pool(as: "communication")
            try await communication.query("CREATE TABLE communication.sent (key text PRIMARY KEY)")
            let healed = Atomic<Bool>(false)
            let tries = Mutex<[(attempt: Int, at: ContinuousClock.Instant)]>([])
            let consumer = Consumer<Numbered>(
                topics: ["feedback.received"], maxAttempts: 4, backoff: Backoff(initial: .milliseconds(100)),
                pollInterval: .milliseconds(50)
            ) { delivery, tx in
                tries.withLock { $0.append((delivery.attempt, .now)) }
                try await tx.execute("INSERT INTO communication.sent (key) VALUES ($1)", [delivery.key])
                guard healed.load(ordering: .sequentiallyConsistent) else { throw GatewayRefused() }
            }
            let admin = database.pool(maxConnections: 1)
            let intake = database.pool(as: "intake")
            try await whileRunning(consumer, on: communication) {
                try await eventually("subscribed") {
                    try await admin.query("SELECT count(*) FROM mq.subscriptions").single().decode(Int.self, at: 0) == 1
                }
                _ = try await intake.transaction { tx in
                    try await tx.publish("feedback.received", key: "F1", Numbered(key: "F1", seq: 1))
                }
                try await eventually("the delivery is dead") {
                    try await admin.query("SELECT count(*) FROM mq.deliveries WHERE state = 'dead'").single()
                        .decode(Int.self, at: 0) == 1
                }
                let (attempts, lastError) = try await admin.query("SELECT attempts, last_error FROM mq.deliveries")
                    .single()
                    .decode(Int.self, String.self)
                #expect(attempts == 4)
                #expect(lastError.contains("GatewayRefused"))
                let recorded = tries.withLock { $0 }
                #expect(recorded.map(\.attempt) == [1, 2, 3, 4])
                for index in 1..<recorded.count {
                    // The wait after try n is at least half of 100 ms · 2^(n−1).
                    let least = Duration.milliseconds(50) * (1 << (index - 1))
                    #expect(recorded[index].at - recorded[index - 1].at >= least, "wait after try \(index)")
                }
                // A failed try left no effect: its savepoint was rolled back.
                #expect(
                    try await communication.query("SELECT count(*) FROM communication.sent").single().decode(
                        Int.self, at: 0) == 0)

                healed.store(true, ordering: .sequentiallyConsistent)
                #expect(
                    try await communication.query("SELECT mq.redrive(session_user)").single().decode(Int.self, at: 0)
                        == 1)
                try await eventually("the redriven delivery is handled") {
                    try await communication.query("SELECT count(*) FROM communication.sent").single().decode(
                        Int.self, at: 0) == 1
                }
                try await eventually("the delivery is acknowledged") {
                    try await admin.query("SELECT count(*) FROM mq.deliveries").single().decode(Int.self, at: 0) == 0
                }
            }
            for pool in [communication, admin, intake] { await pool.close() }
        }
    }

    @Test func aHandlerThatTriesToCommitItsBatchIsRefusedAndNothingOfItsTryCommits() async throws {
        try await withQueueDatabase("mqcommit") { database in
            let payment = database.pool(as: "payment")
            try await payment.query("CREATE TABLE payment.receipts (key text PRIMARY KEY)")
            try await payment.query("SELECT mq.subscribe(session_user, $1, $2)", [["fee.assessed"], false])
            let intake = database.pool(as: "intake")
            _ = try await intake.transaction { tx in
                try await tx.publish("fee.assessed", key: "C1", Numbered(key: "C1", seq: 1))
            }
            let refusals = Mutex<[String]>([])
            let consumer = Consumer<Numbered>(
                topics: ["fee.assessed"], maxAttempts: 2, backoff: Backoff(initial: .milliseconds(20)),
                pollInterval: .milliseconds(50)
            ) { delivery, tx in
                try await tx.execute("INSERT INTO payment.receipts (key) VALUES ($1)", [delivery.key])
                for statement in ["COMMIT", " /* sneaky */ commit", "END", "ROLLBACK", "SAVEPOINT s"] {
                    do {
                        try await tx.execute(statement)
                    } catch {
                        refusals.withLock { $0.append("\(error)") }
                    }
                }
                throw GatewayRefused()
            }
            try await whileRunning(consumer, on: payment) {
                try await eventually("the delivery is dead") {
                    try await payment.query("SELECT count(*) FROM mq.dead(session_user, 10)").single()
                        .decode(Int.self, at: 0) == 1
                }
            }
            #expect(
                try await payment.query("SELECT count(*) FROM payment.receipts").single().decode(Int.self, at: 0) == 0)
            let seen = refusals.withLock { $0 }
            #expect(seen.count == 10)
            #expect(seen.allSatisfy { $0.contains("transaction") })
            for pool in [payment, intake] { await pool.close() }
        }
    }

    @Test func handlerFailingMidBatchIsTriedOnceAndTheRestOfItsBatchCommitsOnce() async throws {
        try await withQueueDatabase("mqmidbatch") { database in
            let payment = database.pool(as: "payment")
            try await payment.query("CREATE TABLE payment.receipts (key text PRIMARY KEY, attempt int NOT NULL)")
            try await payment.query("SELECT mq.subscribe(session_user, $1, $2)", [["fee.assessed"], false])
            let intake = database.pool(as: "intake")
            let keys = (1...6).map { "P\($0)" }
            _ = try await intake.transaction { tx in
                try await tx.publish("fee.assessed", keys.map { (key: $0, event: Numbered(key: $0, seq: 1)) })
            }
            let triesOfP3 = Mutex<[Int]>([])
            let consumer = Consumer<Numbered>(
                topics: ["fee.assessed"], batchSize: 16, backoff: Backoff(initial: .milliseconds(20)),
                pollInterval: .milliseconds(50)
            ) { delivery, tx in
                // The receipt's primary key fails the batch if an effect were written twice.
                try await tx.execute(
                    "INSERT INTO payment.receipts (key, attempt) VALUES ($1, $2)", [delivery.key, delivery.attempt])
                if delivery.key == "P3" {
                    triesOfP3.withLock { $0.append(delivery.attempt) }
                    if delivery.attempt == 1 { throw GatewayRefused() }
                }
            }
            try await whileRunning(consumer, on: payment) {
                try await eventually("every fee has its receipt") {
                    try await payment.query("SELECT count(*) FROM payment.receipts").single().decode(Int.self, at: 0)
                        == 6
                }
            }
            let receipts = try await payment.query("SELECT key, attempt FROM payment.receipts ORDER BY key").map {
                try $0.decode(String.self, Int.self)
            }
            #expect(receipts.map(\.0) == keys)
            #expect(receipts.map(\.1) == [1, 1, 2, 1, 1, 1])
            // The failed try ran its handler once; its retry ran it once more.
            #expect(triesOfP3.withLock { $0 } == [1, 2])
            let admin = database.pool(maxConnections: 1)
            #expect(try await admin.query("SELECT count(*) FROM mq.deliveries").single().decode(Int.self, at: 0) == 0)
            for pool in [payment, intake, admin] { await pool.close() }
        }
    }

    @Test func eventPublishedBeforeTheConsumerListensIsStillDelivered() async throws {
        try await withQueueDatabase("mqlost") { database in
            let digitization = database.pool(as: "digitization")
            try await digitization.query("CREATE TABLE digitization.seen (key text PRIMARY KEY)")
            try await digitization.query("SELECT mq.subscribe(session_user, $1, $2)", [["dossier.received"], false])
            let intake = database.pool(as: "intake")
            _ = try await intake.transaction { tx in
                try await tx.publish("dossier.received", key: "D1", Numbered(key: "D1", seq: 1))
            }
            // Nobody listened to that NOTIFY, and the poll is far away: the start-up drain finds it.
            let consumer = Consumer<Numbered>(topics: ["dossier.received"], pollInterval: .seconds(3600)) {
                delivery, tx in
                try await tx.execute("INSERT INTO digitization.seen (key) VALUES ($1)", [delivery.key])
            }
            try await whileRunning(consumer, on: digitization) {
                try await eventually("the event is handled") {
                    try await digitization.query("SELECT count(*) FROM digitization.seen").single().decode(
                        Int.self, at: 0) == 1
                }
                // And a later one arrives by NOTIFY, well before the poll.
                _ = try await intake.transaction { tx in
                    try await tx.publish("dossier.received", key: "D2", Numbered(key: "D2", seq: 1))
                }
                try await eventually("the notified event is handled") {
                    try await digitization.query("SELECT count(*) FROM digitization.seen").single().decode(
                        Int.self, at: 0) == 2
                }
            }
            for pool in [digitization, intake] { await pool.close() }
        }
    }

    @Test func malformedPayloadGoesDeadAtItsFirstTryWithClearErrorAndLaterEventsOfItsKeyFlow() async throws {
        try await withQueueDatabase("mqbad") { database in
            let reporting = database.pool(as: "reporting")
            try await reporting.query("CREATE TABLE reporting.handled (id bigserial PRIMARY KEY, key text, seq int)")
            try await reporting.query("SELECT mq.subscribe(session_user, $1, $2)", [["rating.submitted"], false])
            let intake = database.pool(as: "intake")
            let bad = try await intake.transaction { tx in
                let bad = try await tx.query(
                    "SELECT (event_ids)[1] FROM mq.publish('rating.submitted', '{R1}', ARRAY['{\"stars\": 5}'::jsonb])"
                ).single().decode(Int64.self, at: 0)
                try await tx.publish("rating.submitted", key: "R1", Numbered(key: "R1", seq: 1))
                try await tx.publish("rating.submitted", key: "R1", Numbered(key: "R1", seq: 2))
                return bad
            }
            let consumer = Consumer<Numbered>(
                topics: ["rating.submitted"], maxAttempts: 10, backoff: Backoff(initial: .seconds(30)),
                pollInterval: .milliseconds(50)
            ) { delivery, tx in
                try await tx.execute(
                    "INSERT INTO reporting.handled (key, seq) VALUES ($1, $2)", [delivery.key, delivery.event.seq])
            }
            try await whileRunning(consumer, on: reporting) {
                try await eventually("the later events of R1 are handled") {
                    try await reporting.query("SELECT count(*) FROM reporting.handled").single().decode(Int.self, at: 0)
                        == 2
                }
            }
            let order = try await reporting.query("SELECT array_agg(seq ORDER BY id)::text FROM reporting.handled")
                .single()
            #expect(try order.decode(String.self, at: 0) == "{1,2}")
            let admin = database.pool(maxConnections: 1)
            let (eventID, state, attempts, error) = try await admin.query(
                "SELECT event_id, state, attempts, last_error FROM mq.deliveries"
            ).single().decode(Int64.self, String.self, Int.self, String.self)
            #expect(eventID == bad && state == "dead" && attempts == 1)
            #expect(error.contains("payload of event \(bad) on topic rating.submitted does not decode as Numbered"))
            for pool in [reporting, intake, admin] { await pool.close() }
        }
    }

    /// Issue 17 in small: with the cooperative threads saturated, every trip of a task through the
    /// run queue waits its turn. A batch's handlers follow each other inline in the batch's task,
    /// so a batch pays its trips once, not once or twice per delivery.
    @Test func aBatchsHandlersFollowEachOtherWithoutTripsThroughABusyRunQueue() async throws {
        try await withQueueDatabase("mqbusy") { database in
            let reporting = database.pool(as: "reporting")
            try await reporting.query("SELECT mq.subscribe(session_user, $1, $2)", [["dossier.status_changed"], false])
            let intake = database.pool(as: "intake")
            _ = try await intake.transaction { tx in
                try await tx.publish(
                    "dossier.status_changed", (0..<64).map { (key: "K\($0)", event: Numbered(key: "K\($0)", seq: 0)) })
            }
            let calls = Mutex<[ContinuousClock.Instant]>([])
            let consumer = Consumer<Numbered>(topics: ["dossier.status_changed"], batchSize: 64) { _, _ in
                calls.withLock { $0.append(.now) }
            }
            let (span, trip) = try await whileTheRunQueueIsBusy {
                let trip = await timeOfOneTripThroughTheRunQueue()
                try await whileRunning(consumer, on: reporting) {
                    try await eventually("64 events handled", within: .seconds(60)) {
                        calls.withLock { $0.count } == 64
                    }
                }
                let times = calls.withLock { $0 }
                return (times.max()! - times.min()!, trip)
            }
            // One trip or two per delivery would make 63 gaps at least 63 trips.
            #expect(span < trip * 16, "64 handlers of one batch took \(span); one trip through the run queue \(trip)")
            for pool in [reporting, intake] { await pool.close() }
        }
    }

    @Test func cancellingTheConsumerLetsTheBatchInFlightCommit() async throws {
        try await withQueueDatabase("mqstop") { database in
            let payment = database.pool(as: "payment")
            try await payment.query("CREATE TABLE payment.settled (key text PRIMARY KEY)")
            try await payment.query("SELECT mq.subscribe(session_user, $1, $2)", [["dossier.received"], false])
            let intake = database.pool(as: "intake")
            _ = try await intake.transaction { tx in
                try await tx.publish("dossier.received", key: "P1", Numbered(key: "P1", seq: 1))
            }
            let started = Atomic<Bool>(false)
            let release = Atomic<Bool>(false)
            let consumer = Consumer<Numbered>(topics: ["dossier.received"]) { delivery, tx in
                try await tx.execute("INSERT INTO payment.settled (key) VALUES ($1)", [delivery.key])
                started.store(true, ordering: .sequentiallyConsistent)
                try await eventually("the test releases the handler") {
                    release.load(ordering: .sequentiallyConsistent)
                }
            }
            let running = Task { try await consumer.run(pool: payment, logger: testLogger) }
            try await eventually("the handler is in flight") { started.load(ordering: .sequentiallyConsistent) }
            running.cancel()
            release.store(true, ordering: .sequentiallyConsistent)
            try await running.value
            #expect(
                try await payment.query("SELECT count(*) FROM payment.settled").single().decode(Int.self, at: 0) == 1)
            let admin = database.pool(maxConnections: 1)
            #expect(try await admin.query("SELECT count(*) FROM mq.deliveries").single().decode(Int.self, at: 0) == 0)
            for pool in [payment, intake, admin] { await pool.close() }
        }
    }
    @Test func stopEndsASlowBatchWithinItsGraceRolledBackAndAFreshConsumerHandlesItLater() async throws {
        try await withQueueDatabase("mqgrace") { database in
            let payment = database.pool(as: "payment")
            try await payment.query("CREATE TABLE payment.settled (key text PRIMARY KEY, handler text NOT NULL)")
            try await payment.query("SELECT mq.subscribe(session_user, $1, $2)", [["dossier.received"], false])
            let intake = database.pool(as: "intake")
            _ = try await intake.transaction { tx in
                try await tx.publish("dossier.received", key: "P1", Numbered(key: "P1", seq: 1))
            }
            let started = Atomic<Bool>(false)
            let slow = Consumer<Numbered>(topics: ["dossier.received"], stopGrace: .seconds(1)) { delivery, tx in
                try await tx.execute("INSERT INTO payment.settled (key, handler) VALUES ($1, 'slow')", [delivery.key])
                started.store(true, ordering: .sequentiallyConsistent)
                await waitIgnoringCancellation(seconds: 30)
            }
            let running = Task { try await slow.run(pool: payment, logger: testLogger) }
            try await eventually("the slow handler is in flight") { started.load(ordering: .sequentiallyConsistent) }
            let stoppedAt = ContinuousClock.now
            slow.stop()
            try await running.value
            // The handler would hold the batch 30 s; run returns after the 1 s grace (with room for a
            // loaded machine), not after the handler.
            #expect(ContinuousClock.now - stoppedAt < .seconds(5), "run returns within the grace, not after the handler")
            #expect(
                try await payment.query("SELECT count(*) FROM payment.settled").single().decode(Int.self, at: 0) == 0,
                "nothing of the abandoned batch committed")
            let attempts = Mutex<[Int]>([])
            let fresh = Consumer<Numbered>(topics: ["dossier.received"], pollInterval: .milliseconds(200)) {
                delivery, tx in
                attempts.withLock { $0.append(delivery.attempt) }
                try await tx.execute("INSERT INTO payment.settled (key, handler) VALUES ($1, 'fresh')", [delivery.key])
            }
            try await whileRunning(fresh, on: payment) {
                try await eventually("a fresh consumer handles it") {
                    try await payment.query("SELECT handler FROM payment.settled").map {
                        try $0.decode(String.self, at: 0)
                    }
                        == ["fresh"]
                }
            }
            #expect(attempts.withLock { $0 } == [1], "a rolled-back try does not count")
            let admin = database.pool(maxConnections: 1)
            #expect(try await admin.query("SELECT count(*) FROM mq.deliveries").single().decode(Int.self, at: 0) == 0)
            for pool in [payment, intake, admin] { await pool.close() }
        }
    }
}
