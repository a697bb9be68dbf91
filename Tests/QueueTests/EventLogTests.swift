import Postgres
import PostgresTestSupport
import Queue
import Testing

/// The event log: monthly partitions and retention.
@Suite struct EventLogTests {
    @Test func eventsLandInTheCurrentMonthsPartition() async throws {
        try await withQueueDatabase("mqpart") { database in
            let intake = database.pool(as: "intake")
            try await intake.transaction { tx in
                try await tx.publish("dossier.received", key: "A", Numbered(key: "A", seq: 1))
            }
            let admin = database.pool(maxConnections: 1)
            let partition = try await admin.query("SELECT tableoid::regclass::text FROM mq.events").single()
                .decode(String.self, at: 0)
            let month = try await admin.query("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY_MM')").single()
                .decode(String.self, at: 0)
            #expect(partition == "mq.events_\(month)")
            let ahead = try await admin.query(
                "SELECT count(*) FROM pg_inherits WHERE inhparent = 'mq.events'::regclass"
            ).single().decode(Int.self, at: 0)
            #expect(ahead == 4)  // this month, two ahead, and the default
            await admin.close()
            await intake.close()
        }
    }

    @Test func monthsPastRetentionAreDroppedOnlyOnceNoDeliveryNeedsThem() async throws {
        try await withQueueDatabase("mqretain") { database in
            let admin = database.pool(maxConnections: 1)
            try await admin.withConnection { connection in
                try await connection.run(
                    script: """
                        SET ROLE mq;
                        CREATE TABLE mq.events_2024_01 PARTITION OF mq.events
                            FOR VALUES FROM ('2024-01-01 00:00+00') TO ('2024-02-01 00:00+00');
                        INSERT INTO mq.events (topic, key, payload, producer, published_at)
                            VALUES ('dossier.received', 'OLD', '{}', 'intake', '2024-01-15 00:00+00');
                        INSERT INTO mq.deliveries (consumer, event_id, published_at, key, state, place)
                            SELECT 'reporting', id, published_at, key, 'dead', id FROM mq.events WHERE key = 'OLD';
                        RESET ROLE;
                        """)
            }
            try await admin.query("SELECT mq.maintain()")
            #expect(
                try await admin.query("SELECT to_regclass('mq.events_2024_01') IS NOT NULL").single().decode(
                    Bool.self, at: 0))
            try await admin.query("DELETE FROM mq.deliveries")
            try await admin.query("SELECT mq.maintain()")
            #expect(
                try await admin.query("SELECT to_regclass('mq.events_2024_01') IS NULL").single().decode(
                    Bool.self, at: 0))
            await admin.close()
        }
    }
}
