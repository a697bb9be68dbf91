import AsyncTestSupport
import Foundation
import Observability
import Postgres
import PostgresTestSupport
import Queue
import Testing

/// A test database bootstrapped like production (`deploy/sql/bootstrap.sql` as superuser), with
/// the queue's migrations applied and `topics` as its topic rights (by default the test topics,
/// open to every service role); dropped afterwards, pass or fail.
func withQueueDatabase<R>(
    _ label: String, topics: [TopicRights] = openTestTopics, _ body: (TestDatabase) async throws -> R
) async throws -> R {
    try await TestDatabase.with(label) { database in
        try await database.bootstrap()
        let pool = database.pool(maxConnections: 1)
        try await QueueSchema.migrate(pool)
        try await QueueSchema.writeTopics(topics, pool)
        await pool.close()
        return try await body(database)
    }
}

/// The service roles.
let serviceRoles = ["intake", "digitization", "payment", "communication", "reporting"]

/// The topics the queue tests use, each publishable and readable by every service role.
let openTestTopics = [
    "dossier.received", "report.published", "fee.assessed", "rating.submitted", "payment.settled",
    "feedback.received", "dossier.status_changed", "other",
].map { TopicRights(topic: $0, producers: serviceRoles, consumers: serviceRoles) }

/// Quiet unless something goes wrong.
let testLogger = Logger(service: "queue-test", level: .error)

/// Runs `consumer` on `pool` while `body` runs, then stops it and waits for it to return.
func whileRunning<E, R>(
    _ consumer: Consumer<E>, on pool: PostgresPool, _ body: () async throws -> R
) async throws -> R {
    let running = Task { try await consumer.run(pool: pool, logger: testLogger) }
    do {
        let result = try await body()
        consumer.stop()
        try await running.value
        return result
    } catch {
        consumer.stop()
        _ = try? await running.value
        throw error
    }
}

/// Waits `seconds` deaf to cancellation, as a handler stuck in a call that ignores it does.
func waitIgnoringCancellation(seconds: Int) async {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(seconds)) { continuation.resume() }
    }
}

/// The error of `body`, which must throw a `PostgresError`.
func postgresError(_ body: () async throws -> Void) async -> PostgresError? {
    do {
        try await body()
        return nil
    } catch {
        return error as? PostgresError
    }
}

/// The test events: a key and its place in that key's sequence.
struct Numbered: Codable, Sendable, Equatable {
    let key: String
    let seq: Int
}

/// Runs `body` while 4 tasks keep the cooperative threads busy, each holding a thread for a
/// millisecond per turn: every trip of a task through the run queue then waits for some of them,
/// as on a machine running the whole test suite at once. Few, and only for `body`: the other
/// suites of the process share these threads (40 holders once starved them for a minute).
func whileTheRunQueueIsBusy<R>(_ body: () async throws -> R) async throws -> R {
    let holders = (0..<4).map { _ in
        Task {
            while !Task.isCancelled {
                usleep(1000)
                await Task.yield()
            }
        }
    }
    defer { for holder in holders { holder.cancel() } }
    return try await body()
}

/// How long one trip through the run queue takes now: the mean of ten `Task.yield()`.
func timeOfOneTripThroughTheRunQueue() async -> Duration {
    let start = ContinuousClock.now
    for _ in 0..<10 { await Task.yield() }
    return (ContinuousClock.now - start) / 10
}
