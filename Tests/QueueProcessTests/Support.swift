import AsyncTestSupport
import Foundation
import Postgres
import ProcessTestSupport
import Queue
import Testing

/// A failed expectation outside `#expect` (a timeout, a missing variable, a child's exit).
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A variable of `deploy/local/test`'s contract; a test that needs one fails without it (CI sets them all).
func requiredEnvironment(_ name: String) throws -> String {
    guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
        throw TestFailure("\(name) is not set: run the tests with deploy/local/test, which sets it")
    }
    return value
}

/// Publishes `keys` × `perKey` events as role `intake`, key by key in sequence order (seq 1, 2, …),
/// several keys per transaction, `publishers` transactions at a time.
///
/// A transaction that fails (the server restarts) is tried again; each event's `(key, seq)` is
/// recorded in `intake.bench_published` in its transaction, so a retry of a commit whose answer
/// was lost finds it there and publishes nothing twice. Returns how many tries failed.
@discardableResult
func publish(
    topic: String, keys: Int, perKey: Int, keysPerTransaction: Int, publishers: Int, as intake: PostgresPool
) async throws -> Int {
    try await intake.query(
        "CREATE TABLE IF NOT EXISTS intake.bench_published (key text, seq integer, PRIMARY KEY (key, seq))")
    let groups = stride(from: 0, to: keys, by: keysPerTransaction).map {
        Array($0..<min($0 + keysPerTransaction, keys))
    }
    return try await withThrowingTaskGroup(of: Int.self) { group in
        for publisher in 0..<publishers {
            group.addTask {
                var failures = 0
                for seq in 1...perKey {
                    for (index, keyGroup) in groups.enumerated() where index % publishers == publisher {
                        let events = keyGroup.map { (key: "K\($0)", event: BenchEvent(key: "K\($0)", seq: seq)) }
                        failures += try await publishOnce(topic: topic, events, as: intake)
                    }
                }
                return failures
            }
        }
        return try await group.reduce(0, +)
    }
}

/// Publishes `events` in one transaction, retrying until it is known to have committed once;
/// returns how many tries failed.
private func publishOnce(
    topic: String, _ events: [(key: String, event: BenchEvent)], as intake: PostgresPool
) async throws -> Int {
    let deadline = ContinuousClock.now + .seconds(60)
    var failures = 0
    while true {
        do {
            _ = try await intake.transaction { tx in
                try await tx.execute(
                    "INSERT INTO intake.bench_published SELECT * FROM unnest($1::text[], $2::integer[])",
                    [events.map(\.key), events.map(\.event.seq)])
                try await tx.publish(topic, events)
            }
            return failures
        } catch let error as PostgresError where error.sqlState == PostgresError.uniqueViolation {
            return failures  // an earlier try committed; its answer was lost
        } catch {
            failures += 1
            guard ContinuousClock.now < deadline else { throw error }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

/// The event `motcua-bench consume` decodes (its `note` is padding).
struct BenchEvent: Codable, Sendable {
    let key: String
    let seq: Int
    var note = ""
}

/// What the consume processes left behind, read as the superuser.
struct Outcome {
    /// Rows in `reporting.bench_effects`, distinct events among them, distinct (key, seq).
    var effects: Int
    var distinctEvents: Int
    var distinctKeySeqs: Int
    /// Keys whose effects, in insertion order, are not seq 1…perKey.
    var keysOutOfOrder: [String]
    /// Rows in `reporting.bench_attempts` and events tried more than once.
    var attempts: Int
    var eventsTriedAgain: Int
    /// Deliveries still in `mq` for any consumer.
    var deliveriesLeft: Int

    static func read(_ pool: PostgresPool, perKey: Int) async throws -> Outcome {
        let counts = try await pool.query(
            """
            SELECT (SELECT count(*) FROM reporting.bench_effects),
                   (SELECT count(DISTINCT event_id) FROM reporting.bench_effects),
                   (SELECT count(*) FROM (SELECT DISTINCT key, seq FROM reporting.bench_effects) s),
                   (SELECT count(*) FROM reporting.bench_attempts),
                   (SELECT count(*) FROM (SELECT event_id FROM reporting.bench_attempts
                                          GROUP BY event_id HAVING count(*) > 1) t),
                   (SELECT count(*) FROM mq.deliveries)
            """
        ).single()
        let inOrder = "{" + (1...perKey).map(String.init).joined(separator: ",") + "}"
        let outOfOrder = try await pool.query(
            """
            SELECT key FROM reporting.bench_effects GROUP BY key
            HAVING array_agg(seq ORDER BY id)::text <> $1 ORDER BY key
            """, [inOrder]
        ).map { try $0.decode(String.self, at: 0) }
        return Outcome(
            effects: try counts.decode(Int.self, at: 0), distinctEvents: try counts.decode(Int.self, at: 1),
            distinctKeySeqs: try counts.decode(Int.self, at: 2), keysOutOfOrder: outOfOrder,
            attempts: try counts.decode(Int.self, at: 3), eventsTriedAgain: try counts.decode(Int.self, at: 4),
            deliveriesLeft: try counts.decode(Int.self, at: 5))
    }

    /// Every one of `events` has exactly one effect, each key's effects in publication order,
    /// and the queue holds nothing more.
    func expectEachEffectOnceInKeyOrder(events: Int) {
        #expect(effects == events)
        #expect(distinctEvents == events)
        #expect(distinctKeySeqs == events)
        #expect(keysOutOfOrder.isEmpty, "keys whose effects are out of seq order: \(keysOutOfOrder.prefix(10))")
        #expect(deliveriesLeft == 0)
    }
}

extension ChildProcess {
    /// Starts the built `motcua-bench`, its standard output and error merged.
    static func bench(_ arguments: [String], environment: [String: String]) throws -> ChildProcess {
        try start(built("motcua-bench"), arguments, environment: environment, mergingOutput: true)
    }
}
