import Foundation
import Postgres
import ServiceKit
import ServiceTestSupport
import Testing

/// The typed consumers of `EventConsumer`, through `NotesService` (communication, which consumes
/// `unit.registered`).
@Suite struct EventConsumerTests {
    /// A `unit.registered` envelope for `code`.
    func envelope(_ code: String) -> String {
        """
        {"eventId":"\(UUID().uuidString)","occurredAt":"2026-03-05T01:00:00Z","wardCode":"H01.40.23","version":1,
         "data":{"code":"\(code)","name":"Phường \(code)","provinceCode":"01","registeredAt":"2026-03-05T01:00:00Z"}}
        """
    }

    @Test func anEventFromARoleThatIsNotItsTopicsProducerGoesDeadAtOnceWithTheReason() async throws {
        let harness = try await ServiceHarness.start(NotesService())
        do {
            // Forged as a superuser can: an event of intake's topic recorded as reporting's.
            let admin = harness.database.pool(maxConnections: 1)
            try await admin.query(
                """
                WITH e AS (
                    INSERT INTO mq.events (topic, key, payload, producer)
                    VALUES ('unit.registered', 'H01.40.23', $1::jsonb, 'reporting') RETURNING id, published_at, key)
                INSERT INTO mq.deliveries (consumer, event_id, published_at, key, place)
                SELECT 'communication', id, published_at, key, id FROM e
                """, [envelope("H09")])
            await admin.close()
            let intake = harness.database.pool(as: "intake", maxConnections: 1)
            try await intake.query(
                "SELECT mq.publish('unit.registered', ARRAY['H01.40.23'], ARRAY[$1::jsonb])", [envelope("H10")])
            await intake.close()
            try await harness.runConsumersUntilIdle()
            let seen = try await harness.context.transaction(.allUnits) { tx async throws in
                try await tx.query("SELECT code FROM units_seen").map { try $0.decode(String.self, at: 0) }
            }
            #expect(seen == ["H10"])
            let dead = try await harness.context.pool.query(
                "SELECT attempts, last_error FROM mq.dead('communication', 10)"
            ).single().decode(Int.self, String.self)
            #expect(dead.0 == 1)
            #expect(
                dead.1.contains("published by reporting, not by a producer of unit.registered (intake)"), "\(dead.1)")
        } catch {
            await harness.close()
            throw error
        }
        await harness.close()
    }
}
