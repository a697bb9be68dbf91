import Foundation
import Postgres
import PostgresTestSupport
import Testing

@Suite struct MigratorTests {
    let first = [
        Migration(1, "dossiers", "CREATE TABLE dossier (code text PRIMARY KEY)"),
        Migration(2, "status", "ALTER TABLE dossier ADD COLUMN status text NOT NULL DEFAULT 'received'"),
    ]

    @Test func runningMigrationsTwiceAppliesEachOnce() async throws {
        try await TestDatabase.with { database in
            let pool = database.pool()
            try await pool.query("CREATE SCHEMA intake")
            let migrator = Migrator(schema: "intake", migrations: first)
            #expect(try await migrator.pending(pool) == [1, 2])
            #expect(try await migrator.migrate(pool) == [1, 2])
            #expect(try await migrator.migrate(pool) == [])
            #expect(try await migrator.pending(pool) == [])
            try await pool.query("INSERT INTO intake.dossier (code) VALUES ('H01-260101-0001')")
            await pool.close()
        }
    }

    @Test func concurrentMigratorsApplyEachStepOnce() async throws {
        try await TestDatabase.with { database in
            let pool = database.pool(maxConnections: 4)
            try await pool.query("CREATE SCHEMA intake")
            let migrator = Migrator(schema: "intake", migrations: first)
            let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
                for _ in 0..<4 { group.addTask { try await migrator.migrate(pool) } }
                return try await group.reduce(into: [Int]()) { $0 += $1 }
            }
            #expect(applied.sorted() == [1, 2])
            await pool.close()
        }
    }

    /// Two processes starting together both create the bookkeeping table: whichever loses the race
    /// (PostgreSQL answers 23505, 42P07 or 42710 depending on the instant) still migrates.
    @Test func migratorsRacingToCreateTheBookkeepingTableAllSucceed() async throws {
        try await TestDatabase.with { database in
            let pool = database.pool(maxConnections: 6)
            for round in 0..<25 {
                let schema = "race\(round)"
                try await pool.query("CREATE SCHEMA \(schema)")
                let migrator = Migrator(schema: schema, migrations: first)
                let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
                    for _ in 0..<6 { group.addTask { try await migrator.migrate(pool) } }
                    return try await group.reduce(into: [Int]()) { $0 += $1 }
                }
                #expect(applied.sorted() == [1, 2], "round \(round)")
            }
            await pool.close()
        }
    }

    @Test func changedLandedMigrationIsRefused() async throws {
        try await TestDatabase.with { database in
            let pool = database.pool()
            try await pool.query("CREATE SCHEMA intake")
            try await Migrator(schema: "intake", migrations: first).migrate(pool)
            var edited = first
            edited[1] = Migration(2, "status", "ALTER TABLE dossier ADD COLUMN status text")
            let error = await #expect(throws: MigrationError.self) {
                try await Migrator(schema: "intake", migrations: edited + [Migration(3, "more", "SELECT 1")]).migrate(
                    pool)
            }
            #expect(error?.version == 2)
            #expect(
                try await pool.query("SELECT max(version) FROM intake.schema_migrations").single().decode(
                    Int.self, at: 0) == 2)
            await pool.close()
        }
    }

    @Test func failingMigrationLeavesNothingHalfApplied() async throws {
        try await TestDatabase.with { database in
            let pool = database.pool()
            try await pool.query("CREATE SCHEMA intake")
            let broken = first + [Migration(3, "broken", "CREATE TABLE extra (id int); SELECT no_such_function();")]
            await #expect(throws: PostgresError.self) {
                try await Migrator(schema: "intake", migrations: broken).migrate(pool)
            }
            #expect(
                try await pool.query("SELECT to_regclass('intake.extra') IS NULL").single().decode(Bool.self, at: 0))
            #expect(try await Migrator(schema: "intake", migrations: broken).pending(pool) == [3])
            await pool.close()
        }
    }

    @Test func mixedCaseSchemaFindsItsOwnMigrationTable() async throws {
        try await TestDatabase.with { database in
            let pool = database.pool()
            try await pool.query(#"CREATE SCHEMA "Intake""#)
            let migrator = Migrator(schema: "Intake", migrations: first)
            #expect(try await migrator.migrate(pool) == [1, 2])
            #expect(try await migrator.pending(pool) == [])
            #expect(try await migrator.migrate(pool) == [])
            await pool.close()
        }
    }

    struct Holiday: Codable, Sendable {
        let day: String
        let name: String
    }

    static func seed(_ holidays: [Holiday]) -> Migration {
        Migration(
            3, "holidays", "CREATE TABLE holiday (day date PRIMARY KEY, name text NOT NULL)",
            data: Migration.DataStep(
                "INSERT INTO holiday SELECT day, name FROM jsonb_to_recordset($1::jsonb) AS r(day date, name text)",
                [JSONB(holidays)]))
    }

    @Test func dataStepBindsItsValuesInTheMigrationsTransaction() async throws {
        try await TestDatabase.with { database in
            let pool = database.pool()
            try await pool.query("CREATE SCHEMA intake")
            let name = "Ngày Giải phóng miền Nam'); DROP TABLE dossier; --"
            try await Migrator(
                schema: "intake", migrations: first + [Self.seed([Holiday(day: "2026-04-30", name: name)])]
            ).migrate(pool)
            #expect(try await pool.query("SELECT name FROM intake.holiday").single().decode(String.self, at: 0) == name)

            // A failing data step undoes its migration's script with it.
            try await pool.query("CREATE SCHEMA other")
            let duplicate = Self.seed([
                Holiday(day: "2026-09-02", name: "Quốc khánh"), Holiday(day: "2026-09-02", name: "again"),
            ])
            let migrator = Migrator(schema: "other", migrations: first + [duplicate])
            await #expect(throws: PostgresError.self) { try await migrator.migrate(pool) }
            #expect(
                try await pool.query("SELECT to_regclass('other.holiday') IS NULL").single().decode(Bool.self, at: 0))
            #expect(try await migrator.pending(pool) == [3])
            await pool.close()
        }
    }

    @Test func checksumCoversTheDataStepAndItsValues() {
        let one = Self.seed([Holiday(day: "2026-04-30", name: "Giải phóng")])
        #expect(one.checksum == Self.seed([Holiday(day: "2026-04-30", name: "Giải phóng")]).checksum)
        #expect(one.checksum != Self.seed([Holiday(day: "2026-05-01", name: "Giải phóng")]).checksum)
        #expect(one.checksum != Migration(3, "holidays", one.sql).checksum)
        // A migration without a data step keeps the checksum of its SQL text alone.
        #expect(
            Migration(1, "x", "SELECT 1").checksum == "e004ebd5b5532a4b85984a62f8ad48a81aa3460c1ca07701f386135d72cdecf5"
        )
    }
}
