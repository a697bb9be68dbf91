import AsyncTestSupport
import Foundation
import Postgres
import PostgresTestSupport
import ProcessTestSupport
import Testing

/// `motcua-bench consume` processes killed with SIGKILL mid-batch, again and again, while the
/// backlog is published: the queue's guarantees must hold across the kills.
@Suite struct ConsumerKillTests {
    static let keys = 500
    static let perKey = 20
    static var events: Int { keys * perKey }

    @Test func transactionalConsumersKilledMidBatchLeaveEveryEffectExactlyOnceInKeyOrder() async throws {
        let (outcome, kills) = try await consumeWhileKilling(mode: "transactional")
        outcome.expectEachEffectOnceInKeyOrder(events: Self.events)
        #expect(outcome.attempts == Self.events, "each event's handling committed once, with its effect")
        #expect(kills >= 5)
    }

    @Test func leasedConsumersKilledMidBatchRedeliverButLeaveEveryEffectOnceInKeyOrder() async throws {
        let (outcome, kills) = try await consumeWhileKilling(mode: "leased")
        outcome.expectEachEffectOnceInKeyOrder(events: Self.events)
        #expect(outcome.eventsTriedAgain > 0, "a kill after an effect and before its ack makes a redelivery")
        #expect(kills >= 5)
    }

    /// Two consume processes; every 300–800 ms one of them is killed and a new one started, until
    /// every effect exists; then the survivors must finish on their own. Returns what they left
    /// and how many kills there were.
    private func consumeWhileKilling(mode: String) async throws -> (Outcome, kills: Int) {
        try await TestDatabase.with("kill") { database in
            var environment = ProcessInfo.processInfo.environment
            environment["PGDATABASE"] = database.name
            let topic = "bench.kill"
            let arguments = [
                "consume", "--consumer", benchConsumer, "--mode", mode, "--topic", topic,
                "--expect", "\(Self.events)", "--lease-ms", "2000",
            ]
            var children = try (0..<2).map { _ in try ChildProcess.bench(arguments, environment: environment) }
            let admin = database.pool(maxConnections: 2)
            let intake = database.pool(as: "intake", maxConnections: 2)
            try await waitUntilSubscribed(topic: topic, admin: admin, children: children)
            let publishing = Task {
                try await publish(
                    topic: topic, keys: Self.keys, perKey: Self.perKey, keysPerTransaction: 100, publishers: 2,
                    as: intake)
            }

            var kills = 0
            while true {
                try await Task.sleep(for: .milliseconds(Int.random(in: 300...800)))
                let effects = try await admin.query("SELECT count(*) FROM reporting.bench_effects").single()
                    .decode(Int.self, at: 0)
                guard effects < Self.events, children.allSatisfy(\.isRunning), let victim = children.randomElement()
                else { break }
                victim.signal(SIGKILL)
                #expect(try await victim.exitStatus(within: .seconds(10)) == SIGKILL)
                children.removeAll { $0 === victim }
                children.append(try ChildProcess.bench(arguments, environment: environment))
                kills += 1
            }
            _ = try await publishing.value
            for child in children {
                let status = try await child.exitStatus(within: .seconds(60))
                #expect(status == 0, "pid \(child.processIdentifier):\n\(child.allOutput)")
            }
            let outcome = try await Outcome.read(admin, perKey: Self.perKey)
            await intake.close()
            await admin.close()
            return (outcome, kills)
        }
    }
}

/// The consumer name the consume processes of these tests share.
let benchConsumer = "reporting.bench"

/// Waits until a consume process has prepared the database and subscribed to `topic`, so that
/// everything published afterwards reaches the consumer.
func waitUntilSubscribed(topic: String, admin: PostgresPool, children: [ChildProcess]) async throws {
    try await eventually("\(benchConsumer) subscribed to \(topic)", within: .seconds(60)) {
        if let exited = children.first(where: { !$0.isRunning }) {
            throw TestFailure("pid \(exited.processIdentifier) exited early:\n\(exited.allOutput)")
        }
        let subscribed = try? await admin.query(
            "SELECT count(*) FROM mq.subscriptions WHERE consumer = $1 AND topic = $2", [benchConsumer, topic]
        ).single().decode(Int.self, at: 0)
        return subscribed == 1
    }
}
