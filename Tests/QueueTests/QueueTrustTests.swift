import Foundation
import Postgres
import PostgresTestSupport
import Queue
import Testing

/// The queue's trust boundary, tried as an attacker holding one service's role would (issue 10):
/// topic rights, the producer a claim reports, maintenance, the bounds of a publish and of a
/// consumer's name, and the advisory locks.
extension QueueSchemaTests {
    /// A citizen's event only reporting may read, and a payment only payment may publish.
    static let trustTopics = [
        TopicRights(topic: "trust.citizen", producers: ["intake"], consumers: ["reporting"]),
        TopicRights(topic: "trust.paid", producers: ["payment"], consumers: ["intake", "reporting"]),
    ]

    /// `body` with a queue database whose rights are `trustTopics`, and a pool per service role.
    func withTrustDatabase(
        _ label: String, _ body: (TestDatabase, [String: PostgresPool]) async throws -> Void
    ) async throws {
        try await withQueueDatabase(label, topics: Self.trustTopics) { database in
            let pools = Dictionary(
                uniqueKeysWithValues: ["intake", "digitization", "payment", "communication", "reporting"].map {
                    ($0, database.pool(as: $0, maxConnections: 1))
                })
            do {
                try await body(database, pools)
            } catch {
                for pool in pools.values { await pool.close() }
                throw error
            }
            for pool in pools.values { await pool.close() }
        }
    }

    @Test func aRoleCannotSubscribeToOrReplayATopicItMayNotRead() async throws {
        try await withTrustDatabase("mqread") { _, pools in
            try await pools["intake"]!.transaction { tx in
                try await tx.publish("trust.citizen", key: "c1", ["cccd": "001099000001", "phone": "0912345678"])
            }
            let refused = await postgresError {
                try await pools["communication"]!.query(
                    "SELECT mq.subscribe('communication.x', array['trust.citizen'], true)")
            }
            #expect(refused?.sqlState == PostgresError.insufficientPrivilege)
            let claimed = try await pools["communication"]!.query(
                "SELECT count(*) FROM mq.claim('communication.x', 100, 5)"
            ).single().decode(Int.self, at: 0)
            #expect(claimed == 0)
            // The reader the contract names replays it.
            #expect(
                try await pools["reporting"]!.query(
                    "SELECT mq.subscribe('reporting', array['trust.citizen'], true)"
                ).single().decode(Int.self, at: 0) == 1)
        }
    }

    @Test func aRoleCannotPublishToAnotherProducersTopicAndAClaimNamesTheProducer() async throws {
        try await withTrustDatabase("mqforge") { _, pools in
            try await pools["intake"]!.query("SELECT mq.subscribe('intake', array['trust.paid'])")
            let forged = await postgresError {
                _ = try await pools["reporting"]!.transaction { tx in
                    try await tx.publish("trust.paid", key: "D1", ["amount": 1])
                }
            }
            #expect(forged?.sqlState == PostgresError.insufficientPrivilege)
            let unknown = await postgresError {
                _ = try await pools["payment"]!.transaction { tx in
                    try await tx.publish("trust.unlisted", key: "D1", ["amount": 1])
                }
            }
            #expect(unknown?.sqlState == PostgresError.insufficientPrivilege)
            try await pools["payment"]!.transaction { tx in try await tx.publish("trust.paid", key: "D1", ["amount": 2])
            }
            let producers = try await pools["intake"]!.query(
                "SELECT producer FROM mq.claim('intake', 10, 5, interval '1 minute')"
            ).map { try $0.decode(String.self, at: 0) }
            #expect(producers == ["payment"])
        }
    }

    @Test func maintenanceIsDeniedToEveryServiceRoleAndBoundedForItsOwner() async throws {
        try await withTrustDatabase("mqmaint") { database, pools in
            for (role, pool) in pools {
                let denied = await postgresError { try await pool.query("SELECT mq.maintain(1)") }
                #expect(denied?.sqlState == PostgresError.insufficientPrivilege, "\(role)")
            }
            let maintainer = database.pool(as: "mq_maintainer", maxConnections: 1)
            try await maintainer.query("SELECT mq.maintain(3)")
            let unbounded = await postgresError { try await maintainer.query("SELECT mq.maintain(1000)") }
            #expect(unbounded?.sqlState == "22023")
            await maintainer.close()
            let partitions = try await database.pool(maxConnections: 1).query(
                "SELECT count(*) FROM pg_inherits WHERE inhparent = 'mq.events'::regclass"
            ).single().decode(Int.self, at: 0)
            #expect(partitions <= 5)
        }
    }

    @Test func aPublishBeyondItsBoundsIsRefusedBeforeAnyLock() async throws {
        try await withTrustDatabase("mqbound") { _, pools in
            let payment = pools["payment"]!
            let big = String(repeating: "x", count: 1_100_000)
            let cases: [(String, [String], [String])] = [
                ("a payload over 1 MiB", ["D1"], ["{\"blob\": \"\(big)\"}"]),
                ("1,001 events", Array(repeating: "D1", count: 1001), Array(repeating: "{}", count: 1001)),
                ("257 distinct keys", (0..<257).map { "D\($0)" }, Array(repeating: "{}", count: 257)),
                ("a key over 200 bytes", [String(repeating: "k", count: 201)], ["{}"]),
            ]
            for (label, keys, payloads) in cases {
                let error = await postgresError {
                    try await payment.query(
                        "SELECT mq.publish('trust.paid', $1::text[], $2::jsonb[])", [keys, payloads])
                }
                #expect(error?.sqlState == "54000", "\(label): \(String(describing: error))")
            }
            // Within the bounds: 256 keys, 1,000 events.
            try await payment.query(
                "SELECT mq.publish('trust.paid', $1::text[], $2::jsonb[])",
                [(0..<1000).map { "D\($0 % 256)" }, Array(repeating: "{}", count: 1000)])
        }
    }

    @Test func aConsumerNameTooLongForItsWakeUpChannelIsRefused() async throws {
        try await withTrustDatabase("mqname") { _, pools in
            let name = "reporting." + String(repeating: "n", count: 60)
            let error = await postgresError {
                try await pools["reporting"]!.query("SELECT mq.subscribe($1, array['trust.paid'])", [name])
            }
            #expect(error?.sqlState == "54000")
        }
    }

    @Test func aServiceRoleCannotTakeTheQueuesLocks() async throws {
        try await withTrustDatabase("mqlock") { _, pools in
            for statement in [
                "SELECT pg_advisory_xact_lock_shared(7472687, hashtext('trust.paid'))",
                "SELECT pg_try_advisory_lock(1)", "SELECT pg_advisory_xact_lock(32095223390208)",
                "SELECT pg_advisory_lock_shared(32095223390208)",
                "SELECT pg_advisory_lock(7472687, hashtext('trust.paid'))", "SELECT pg_advisory_lock(1, 2)",
            ] {
                let error = await postgresError { try await pools["intake"]!.query(statement) }
                #expect(error?.sqlState == PostgresError.insufficientPrivilege, "\(statement)")
            }
            // And publishing, which takes the queue's locks inside mq's functions, still works.
            try await pools["payment"]!.transaction { tx in
                try await tx.execute("SET LOCAL lock_timeout = '2s'")
                try await tx.publish("trust.paid", key: "D1", ["amount": 3])
            }
        }
    }
}
