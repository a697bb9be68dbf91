import Foundation
import Postgres
import Queue

/// The database the bench is pointed at by libpq's `PG*` variables (as a superuser), made ready
/// like production: `deploy/sql/bootstrap.sql`, the queue's migrations, and the bench's own tables
/// in schema `reporting`. Every step is idempotent and safe to run from several processes at once.
struct BenchDatabase {
    let superuser = PostgresConfiguration(applicationName: "motcua-bench")

    /// Where `deploy/sql/bootstrap.sql` is: this file is `deploy/bench/motcua-bench/BenchDatabase.swift`.
    static let bootstrapScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("sql/bootstrap.sql")

    /// The effects of `motcua-bench consume`: one row per event (the id orders them), and one row
    /// per try, committed or not, so a test can see redeliveries. Run by the superuser (the
    /// services may take no advisory lock), as role `reporting`, which then owns the tables.
    static let benchTables = """
        SELECT pg_advisory_lock(7472686, hashtext('motcua-bench tables'));
        SET ROLE reporting;
        CREATE TABLE IF NOT EXISTS reporting.bench_effects (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            event_id bigint NOT NULL UNIQUE,
            key text NOT NULL,
            seq integer NOT NULL,
            handled_at timestamptz NOT NULL DEFAULT clock_timestamp()
        );
        CREATE TABLE IF NOT EXISTS reporting.bench_attempts (
            event_id bigint NOT NULL,
            attempt integer NOT NULL,
            pid integer NOT NULL,
            tried_at timestamptz NOT NULL DEFAULT clock_timestamp()
        );
        """

    /// The bench's topics: published by intake, read by reporting (the bench's consumers are
    /// `reporting.*`), as the event catalogue would give a real topic.
    static let topics = ["bench.queue", "bench.latency", "bench.restart", "bench.kill"].map {
        TopicRights(topic: $0, producers: ["intake"], consumers: ["reporting"])
    }

    /// Bootstraps, migrates, and creates the bench tables (owned by role `reporting`).
    func prepare() async throws {
        let script = try String(contentsOf: Self.bootstrapScript, encoding: .utf8)
        let admin = try await PostgresConnection.connect(superuser)
        try await admin.run(script: script)
        await admin.close()
        let pool = PostgresPool(configuration: superuser, maxConnections: 1)
        try await QueueSchema.migrate(pool)
        try await QueueSchema.writeTopics(Self.topics, pool)
        await pool.close()
        let tables = try await PostgresConnection.connect(superuser)
        try await tables.run(script: Self.benchTables)
        await tables.close()
    }

    func pool(as role: String, maxConnections: Int) -> PostgresPool {
        PostgresPool(configuration: superuser.with(user: role), maxConnections: maxConnections)
    }

    /// The deliveries `consumer` still has (pending, waiting or dead), as `mq.stats()` shows them.
    func outstandingDeliveries(of consumer: String, on pool: PostgresPool) async throws -> Int {
        try await pool.query(
            "SELECT coalesce(sum(pending + waiting + dead), 0)::bigint FROM mq.stats() WHERE consumer = $1", [consumer]
        ).single().decode(Int.self, at: 0)
    }
}

/// What the bench publishes: about 100 bytes of JSON.
struct BenchEvent: Codable, Sendable {
    let key: String
    let seq: Int
    let note: String

    init(key: String, seq: Int) {
        self.key = key
        self.seq = seq
        note = String(repeating: "x", count: max(0, 70 - key.count))
    }
}
