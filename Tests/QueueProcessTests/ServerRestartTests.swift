import AsyncTestSupport
import Foundation
import Postgres
import ProcessTestSupport
import Testing

/// PostgreSQL restarted (`pg_ctl restart -m fast`) while events are being published and consumed.
@Suite struct ServerRestartTests {
    @Test func publishersAndATransactionalConsumerReconnectOnTheirOwnAndNothingIsLostOrDoubled() async throws {
        var cluster = try await PrivateCluster.start()
        do {
            try await restartUnderLoad(&cluster)
            await cluster.remove()
        } catch {
            await cluster.remove()
            throw error
        }
    }

    private func restartUnderLoad(_ cluster: inout PrivateCluster) async throws {
        let (keys, perKey) = (40, 50)
        let topic = "bench.restart"
        let consumer = try ChildProcess.bench(
            [
                "consume", "--consumer", benchConsumer, "--mode", "transactional", "--topic", topic,
                "--expect", "\(keys * perKey)", "--poll-ms", "200",
            ],
            environment: cluster.environment)
        let admin = PostgresPool(configuration: cluster.configuration, maxConnections: 1)
        let intake = PostgresPool(configuration: cluster.configuration.with(user: "intake"), maxConnections: 2)
        try await waitUntilSubscribed(topic: topic, admin: admin, children: [consumer])
        let publishing = Task {
            try await publish(
                topic: topic, keys: keys, perKey: perKey, keysPerTransaction: 1, publishers: 2, as: intake)
        }
        let effects = {
            try await admin.query("SELECT count(*) FROM reporting.bench_effects").single().decode(Int.self, at: 0)
        }
        // A bound for a hang (see ConsumerTests.perKeyOrderHolds…): beside the whole suite it waited past 60 s.
        try await eventually("some effects before the restart", within: .seconds(180)) { try await effects() >= 300 }

        try await cluster.restart()
        let afterRestart = try await effects()
        #expect(afterRestart < keys * perKey, "the restart came while work was left")

        let failedPublishes = try await publishing.value
        #expect(try await consumer.exitStatus(within: .seconds(60)) == 0, "\(consumer.allOutput)")
        let outcome = try await Outcome.read(admin, perKey: perKey)
        outcome.expectEachEffectOnceInKeyOrder(events: keys * perKey)
        #expect(outcome.attempts == keys * perKey, "each event's handling committed once")
        #expect(failedPublishes > 0, "the restart interrupted publishing")
        #expect(consumer.allOutput.contains("queue batch failed"), "the restart interrupted consuming")
        await intake.close()
        await admin.close()
    }
}
