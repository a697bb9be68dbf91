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

    @Test func changedLandedMigrationIsRefused() async throws {
        try await TestDatabase.with { database in
            let pool = database.pool()
            try await pool.query("CREATE SCHEMA intake")
            try await Migrator(schema: "intake", migrations: first).migrate(pool)
            var edited = first
            edited[1] = Migration(2, "status", "ALTER TABLE dossier ADD COLUMN status text")
            let error = await #expect(throws: MigrationError.self) {
                try await Migrator(schema: "intake", migrations: edited + [Migration(3, "more", "SELECT 1")]).migrate(pool)
            }
            #expect(error?.version == 2)
            #expect(try await pool.query("SELECT max(version) FROM intake.schema_migrations").single().decode(Int.self, at: 0) == 2)
            await pool.close()
        }
    }

    @Test func failingMigrationLeavesNothingHalfApplied() async throws {
        try await TestDatabase.with { database in
            let pool = database.pool()
            try await pool.query("CREATE SCHEMA intake")
            let broken = first + [Migration(3, "broken", "CREATE TABLE extra (id int); SELECT no_such_function();")]
            await #expect(throws: PostgresError.self) { try await Migrator(schema: "intake", migrations: broken).migrate(pool) }
            #expect(try await pool.query("SELECT to_regclass('intake.extra') IS NULL").single().decode(Bool.self, at: 0))
            #expect(try await Migrator(schema: "intake", migrations: broken).pending(pool) == [3])
            await pool.close()
        }
    }
}
