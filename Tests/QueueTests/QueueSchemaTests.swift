import Postgres
import PostgresTestSupport
import Queue
import Testing

/// What the `mq` functions guarantee, called directly as the service roles.
@Suite struct QueueSchemaTests {
    struct Rollback: Error {}

    @Test func everyQueueObjectIsOwnedByMqNoFunctionIsPublicAndTheMigrationIsIdempotent() async throws {
        try await withQueueDatabase("mqown") { database in
            let admin = database.pool(maxConnections: 1)
            #expect(try await QueueSchema.migrate(admin) == [])
            let owners = try await admin.query(
                """
                SELECT DISTINCT pg_get_userbyid(relowner)::text FROM pg_class WHERE relnamespace = 'mq'::regnamespace
                UNION SELECT DISTINCT pg_get_userbyid(proowner)::text FROM pg_proc WHERE pronamespace = 'mq'::regnamespace
                """)
            #expect(try owners.map { try $0.decode(String.self, at: 0) } == ["mq"])
            // A function created by a later migration is executable by PUBLIC unless it says otherwise.
            let publicFunctions = try await admin.query(
                """
                SELECT p.proname::text FROM pg_proc p, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                WHERE p.pronamespace = 'mq'::regnamespace AND a.grantee = 0
                """)
            #expect(try publicFunctions.map { try $0.decode(String.self, at: 0) } == [])
            await admin.close()
        }
    }

    @Test func messagePublishedInRolledBackTransactionIsNeverDelivered() async throws {
        try await withQueueDatabase("mqrb") { database in
            let intake = database.pool(as: "intake")
            let payment = database.pool(as: "payment")
            try await payment.query("SELECT mq.subscribe(session_user, $1, $2)", [["dossier.received"], false])
            await #expect(throws: Rollback.self) {
                try await intake.transaction { tx in
                    try await tx.publish("dossier.received", key: "rolled-back", Numbered(key: "rolled-back", seq: 1))
                    throw Rollback()
                }
            }
            _ = try await intake.transaction { tx in
                try await tx.publish("dossier.received", key: "committed", Numbered(key: "committed", seq: 1))
            }
            let claimed = try await payment.transaction { tx in
                try await tx.query("SELECT key FROM mq.claim(session_user, 10, 5)").map {
                    try $0.decode(String.self, at: 0)
                }
            }
            #expect(claimed == ["committed"])
            let admin = database.pool(maxConnections: 1)
            let logged = try await admin.query("SELECT key FROM mq.events").map { try $0.decode(String.self, at: 0) }
            #expect(logged == ["committed"])
            for pool in [intake, payment, admin] { await pool.close() }
        }
    }

    @Test func publishFansOutToEverySubscribedConsumerAndOnlyToThem() async throws {
        try await withQueueDatabase("mqfan") { database in
            let intake = database.pool(as: "intake")
            for (role, topic) in [
                ("digitization", "dossier.received"), ("payment", "dossier.received"), ("reporting", "other"),
            ] {
                let pool = database.pool(as: role, maxConnections: 1)
                try await pool.query("SELECT mq.subscribe(session_user, $1, $2)", [[topic], false])
                await pool.close()
            }
            let ids = try await intake.transaction { tx in
                try await tx.publish(
                    "dossier.received",
                    [(key: "A", event: Numbered(key: "A", seq: 1)), (key: "B", event: Numbered(key: "B", seq: 1))])
            }
            #expect(ids.count == 2 && ids[0] < ids[1])
            for role in ["digitization", "payment", "reporting"] {
                let pool = database.pool(as: role, maxConnections: 1)
                let keys = try await pool.transaction { tx in
                    try await tx.query("SELECT key FROM mq.claim(session_user, 10, 5) ORDER BY event_id").map {
                        try $0.decode(String.self, at: 0)
                    }
                }
                #expect(keys == (role == "reporting" ? [] : ["A", "B"]), "\(role)")
                await pool.close()
            }
            let admin = database.pool(maxConnections: 1)
            let producer = try await admin.query("SELECT DISTINCT producer FROM mq.events")
            #expect(try producer.single().decode(String.self, at: 0) == "intake")
            await admin.close()
            await intake.close()
        }
    }

    @Test func roleCannotReadTablesNorClaimAnotherRolesDeliveries() async throws {
        try await withQueueDatabase("mqdeny") { database in
            let intake = database.pool(as: "intake")
            try await intake.query("SELECT mq.subscribe(session_user, $1, $2)", [["payment.settled"], false])
            let id = try await intake.transaction { tx in
                try await tx.publish("payment.settled", key: "K", Numbered(key: "K", seq: 1))
            }
            let payment = database.pool(as: "payment", maxConnections: 1)
            for sql in [
                "SELECT * FROM mq.deliveries", "SELECT * FROM mq.events", "SELECT * FROM mq.subscriptions",
                "DELETE FROM mq.deliveries", "SET ROLE intake", "SET SESSION AUTHORIZATION intake",
            ] {
                let error = await postgresError { try await payment.query(sql) }
                #expect(error?.sqlState == PostgresError.insufficientPrivilege, "\(sql): \(String(describing: error))")
            }
            for sql in [
                "SELECT * FROM mq.claim('intake', 10, 5)", "SELECT mq.ack('intake', '{1}')",
                "SELECT * FROM mq.dead('intake')", "SELECT mq.redrive('intake')",
                "SELECT mq.subscribe('intake', '{x}')",
                "SELECT * FROM mq.claim('intake.sneaky', 10, 5)", "SELECT * FROM mq.claim('intakes', 10, 5)",
                "SELECT * FROM mq.due('intake', 10)", "SELECT * FROM mq.renew('intake', '{1}', '{1}', '1 minute')",
                "SELECT mq.release('intake', '{1}', '{1}')",
            ] {
                let error = await postgresError { _ = try await payment.transaction { tx in try await tx.query(sql) } }
                #expect(error?.sqlState == PostgresError.insufficientPrivilege, "\(sql): \(String(describing: error))")
            }
            let nothing = try await payment.transaction { tx in
                try await tx.query("SELECT * FROM mq.claim(session_user, 10, 5)").count
            }
            #expect(nothing == 0)
            let mine = try await intake.transaction { tx in
                try await tx.query("SELECT event_id FROM mq.claim(session_user, 10, 5)").map {
                    try $0.decode(Int64.self, at: 0)
                }
            }
            #expect(mine == [id])
            await payment.close()
            await intake.close()
        }
    }

    @Test func subscribingFromTheBeginningDeliversTheLogAndStatsCountOnlyTheCallersDeliveries() async throws {
        try await withQueueDatabase("mqreplay") { database in
            let intake = database.pool(as: "intake")
            let reporting = database.pool(as: "reporting", maxConnections: 1)
            let payment = database.pool(as: "payment", maxConnections: 1)
            try await payment.query("SELECT mq.subscribe(session_user, $1, $2)", [["dossier.received"], false])
            _ = try await intake.transaction { tx in
                try await tx.publish(
                    "dossier.received",
                    [(key: "A", event: Numbered(key: "A", seq: 1)), (key: "B", event: Numbered(key: "B", seq: 1))])
            }
            let added = try await reporting.query(
                "SELECT mq.subscribe(session_user, $1, $2)", [["dossier.received", "dossier.received"], true])
            #expect(try added.single().decode(Int.self, at: 0) == 1)
            // Subscribing again to a topic already subscribed replays nothing a second time.
            #expect(
                try await reporting.query("SELECT mq.subscribe(session_user, $1, $2)", [["dossier.received"], true])
                    .single().decode(
                        Int.self, at: 0) == 0)
            for pool in [reporting, payment] {
                let stats = try await pool.query("SELECT consumer, topic, pending, dead FROM mq.stats()")
                let rows = try stats.map { try $0.decode(String.self, String.self, Int.self, Int.self) }
                #expect(rows.count == 1)
                #expect(rows.first?.1 == "dossier.received" && rows.first?.2 == 2 && rows.first?.3 == 0)
                #expect(rows.first?.0 == (pool === reporting ? "reporting" : "payment"))
            }
            let admin = database.pool(maxConnections: 1)
            #expect(try await admin.query("SELECT * FROM mq.stats()").count == 2)
            for pool in [intake, reporting, payment, admin] { await pool.close() }
        }
    }
    @Test func redrivenDeliveryWaitsBehindItsKeysDeliveryHeldByAnOpenTransaction() async throws {
        try await redriveWhileTheNextOfItsKeyIsInFlight("mqredrivetx", lease: nil)
    }

    @Test func redrivenDeliveryWaitsBehindItsKeysDeliveryUnderAnUnexpiredLease() async throws {
        try await redriveWhileTheNextOfItsKeyIsInFlight("mqredrivelease", lease: "1 minute")
    }

    /// E1 and E2 of one key: E1 dies; E2 is claimed and its handler runs (its claim's transaction
    /// open, or its lease unexpired); E1 redriven meanwhile must wait until E2 is done, or two
    /// deliveries of the key would run together.
    private func redriveWhileTheNextOfItsKeyIsInFlight(_ label: String, lease: String?) async throws {
        try await withQueueDatabase(label) { database in
            let payment = database.pool(as: "payment", maxConnections: 1)
            let otherInstance = database.pool(as: "payment", maxConnections: 1)
            try await payment.query("SELECT mq.subscribe(session_user, $1, $2)", [["fee.assessed"], false])
            let intake = database.pool(as: "intake")
            let ids = try await intake.transaction { tx in
                try await tx.publish(
                    "fee.assessed",
                    [(key: "K", event: Numbered(key: "K", seq: 1)), (key: "K", event: Numbered(key: "K", seq: 2))])
            }
            let claim = "SELECT event_id FROM mq.claim(session_user, 10, 1, $1::interval)"
            func claimed(_ pool: PostgresPool) async throws -> [Int64] {
                try await pool.transaction { tx in
                    try await tx.query(claim, [lease]).map { try $0.decode(Int64.self, at: 0) }
                }
            }
            #expect(try await claimed(payment) == [ids[0]])
            let state = try await payment.query("SELECT mq.fail(session_user, $1, 'gateway down', now(), 1)", [ids[0]])
            #expect(try state.single().decode(String?.self, at: 0) == "dead")
            /// While E2's handler runs, another session redrives E1 and claims.
            func meanwhile() async throws {
                let redriven = try await otherInstance.query("SELECT mq.redrive(session_user, $1)", [[ids[0]]])
                #expect(try redriven.single().decode(Int.self, at: 0) == 1)
                #expect(try await claimed(otherInstance) == [], "a delivery of key K ran beside the one in flight")
            }
            if lease == nil {
                try await payment.transaction { tx in
                    let inFlight = try await tx.query(claim, [lease]).map { try $0.decode(Int64.self, at: 0) }
                    #expect(inFlight == [ids[1]])
                    try await meanwhile()
                    try await tx.query("SELECT mq.ack(session_user, $1)", [[ids[1]]])
                }
            } else {
                #expect(try await claimed(payment) == [ids[1]])
                try await meanwhile()
                try await payment.query("SELECT mq.ack(session_user, $1)", [[ids[1]]])
            }
            #expect(try await claimed(otherInstance) == [ids[0]])
            for pool in [payment, otherInstance, intake] { await pool.close() }
        }
    }
}
