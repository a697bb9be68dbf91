import Observability
import Postgres
import PostgresTestSupport
import ServiceKit
import Testing

/// Units as tenants: a table under `UnitScope.rowLevelSecurity` seen through scoped transactions,
/// as intake's role (which owns the table, so only a forced policy binds it).
@Suite struct UnitScopeTests {
    /// A bootstrapped database with `intake.things` under unit security, one row in H01 and one in H02.
    private func withThings(_ body: (ServiceContext, PostgresPool) async throws -> Void) async throws {
        let database = try await bootstrappedDatabase("scope")
        let pool = database.pool(as: "intake", maxConnections: 2)
        do {
            try await pool.withConnection { connection in
                try await connection.run(
                    script: "CREATE TABLE things (id int PRIMARY KEY, unit_code text NOT NULL, name text NOT NULL);"
                        + UnitScope.rowLevelSecurity(on: "things"))
            }
            let context = ServiceContext(
                configuration: try ServiceConfiguration.load(
                    from: ["MOTCUA_WARD_CODE": "H01"], service: "intake", defaultPort: 0),
                pool: pool, logger: Logger(service: "intake", level: .error), tokens: TokenVerifier(keys: []))
            try await context.transaction(.unit("H01")) { tx async throws in
                try await tx.execute("INSERT INTO things VALUES (1, 'H01', 'một')")
            }
            try await context.transaction(.unit("H02")) { tx async throws in
                try await tx.execute("INSERT INTO things VALUES (2, 'H02', 'hai')")
            }
            try await body(context, pool)
        } catch {
            await pool.close()
            await database.drop()
            throw error
        }
        await pool.close()
        await database.drop()
    }

    private func names(_ tx: ScopedTransaction) async throws -> [String] {
        try await tx.query("SELECT name FROM things ORDER BY id").map { try $0.decode(String.self, at: 0) }
    }

    @Test func aUnitsTransactionSeesAndChangesOnlyItsOwnRowsThoughItAsksForAll() async throws {
        try await withThings { context, _ in
            try await context.transaction(.unit("H01")) { tx async throws in
                #expect(try await names(tx) == ["một"])
                #expect(try await tx.execute("UPDATE things SET name = 'đổi'") == 1)
                #expect(try await tx.execute("DELETE FROM things WHERE unit_code = 'H02'") == 0)
            }
            try await context.transaction(.unit("H02")) { tx async throws in
                #expect(try await names(tx) == ["hai"])
            }
        }
    }

    @Test func aUnitCannotWriteARowIntoAnotherUnit() async throws {
        try await withThings { context, _ in
            let error = await #expect(throws: PostgresError.self) {
                try await context.transaction(.unit("H01")) { tx async throws in
                    try await tx.execute("INSERT INTO things VALUES (3, 'H02', 'lạc')")
                }
            }
            #expect(error?.sqlState == PostgresError.insufficientPrivilege)
            let moved = await #expect(throws: PostgresError.self) {
                try await context.transaction(.unit("H01")) { tx async throws in
                    try await tx.execute("UPDATE things SET unit_code = 'H02'")
                }
            }
            #expect(moved?.sqlState == PostgresError.insufficientPrivilege)
        }
    }

    @Test func aQueryWithNoUnitInScopeFailsLoudlyEvenAfterAScopedTransactionOnTheSameConnection() async throws {
        try await withThings { _, pool in
            // The pool has one idle connection left by the scoped transactions above.
            for _ in 0..<2 {
                let error = await #expect(throws: PostgresError.self) {
                    try await pool.query("SELECT name FROM things")
                }
                #expect(error?.message.contains("no unit in scope") == true)
            }
        }
    }

    @Test func aProvinceWideScopeReadsEveryUnitAndWritesOnlyWhereItNamesAUnit() async throws {
        try await withThings { context, _ in
            try await context.transaction(.allUnits) { tx async throws in
                #expect(try await names(tx) == ["một", "hai"])
            }
            let error = await #expect(throws: PostgresError.self) {
                try await context.transaction(.allUnits) { tx async throws in
                    try await tx.execute("INSERT INTO things VALUES (3, 'H01', 'ba')")
                }
            }
            #expect(error?.message.contains("no unit in scope") == true)
            try await context.transaction(.allUnits(writingIn: "H02")) { tx async throws in
                try await tx.execute("INSERT INTO things VALUES (3, 'H02', 'ba')")
                #expect(try await names(tx) == ["một", "hai", "ba"])
            }
        }
    }
}

/// Province roles (ARCHITECTURE §6): the units of their own province, enforced by the same policy.
@Suite struct ProvinceScopeTests {
    /// `things` under unit security with a row in two units of province H01, one of H79, and
    /// province H01's own row (`province:H01`, as its staff accounts are kept).
    private func withProvinces(_ body: (ServiceContext, PostgresPool) async throws -> Void) async throws {
        let database = try await bootstrappedDatabase("province")
        let pool = database.pool(as: "intake", maxConnections: 2)
        do {
            try await pool.withConnection { connection in
                try await connection.run(
                    script: "CREATE TABLE things (id int PRIMARY KEY, unit_code text NOT NULL, name text NOT NULL);"
                        + UnitScope.rowLevelSecurity(on: "things"))
            }
            let context = ServiceContext(
                configuration: try ServiceConfiguration.load(
                    from: ["MOTCUA_WARD_CODE": "H01.40.23"], service: "intake", defaultPort: 0),
                pool: pool, logger: Logger(service: "intake", level: .error), tokens: TokenVerifier(keys: []))
            for (id, unit) in [(1, "H01.40.23"), (2, "H01.40.24"), (3, "H79.01.01"), (4, "province:H01")] {
                try await context.transaction(.unit(unit)) { tx async throws in
                    try await tx.execute("INSERT INTO things VALUES ($1, $2, $3)", [id, unit, "row \(id)"])
                }
            }
            try await body(context, pool)
        } catch {
            await pool.close()
            await database.drop()
            throw error
        }
        await pool.close()
        await database.drop()
    }

    private func ids(_ tx: some PostgresQueryable) async throws -> [Int] {
        try await tx.query("SELECT id FROM things ORDER BY id", []).map { try $0.decode(Int.self, at: 0) }
    }

    /// The rows `scope` reads.
    private func ids(in scope: DataScope, _ context: ServiceContext) async throws -> [Int] {
        try await context.transaction(scope) { tx in try await ids(tx) }
    }

    @Test func aProvinceScopeReadsTheUnitsOfItsProvinceAndNoneOfAnother() async throws {
        try await withProvinces { context, _ async throws in
            #expect(try await ids(in: .province("H01"), context) == [1, 2, 4])
            #expect(try await ids(in: .province("H79"), context) == [3])
            #expect(try await ids(in: .province("H02"), context) == [])
            #expect(try await ids(in: .unit("H01.40.24"), context) == [2])
        }
    }

    @Test func theDatabaseHoldsAProvinceToItsUnitsWhenTheScopeIsSetInSQL() async throws {
        try await withProvinces { _, pool async throws in
            let seen = try await pool.transaction { tx in
                try await tx.query("SELECT set_config('motcua.province', 'H79', true)", [])
                return try await ids(tx)
            }
            #expect(seen == [3])
            // A unit outside the province named as the one written: refused, even to a read.
            let error = await #expect(throws: PostgresError.self) {
                try await pool.transaction { tx in
                    try await tx.query(
                        "SELECT set_config('motcua.province', 'H79', true), set_config('motcua.unit', 'H01.40.23', true)",
                        [])
                    return try await ids(tx)
                }
            }
            #expect(error?.sqlState == PostgresError.insufficientPrivilege)
            #expect(error?.message.contains("not in province H79") == true)
        }
    }

    @Test func aProvinceScopeWritesOnlyIntoANamedUnitOfItsProvince() async throws {
        try await withProvinces { context, _ async throws in
            let unnamed = await #expect(throws: PostgresError.self) {
                try await context.transaction(.province("H01")) { tx async throws in
                    try await tx.execute("INSERT INTO things VALUES (5, 'H01.40.23', 'năm')")
                }
            }
            #expect(unnamed?.message.contains("no unit in scope") == true)
            try await context.transaction(.province("H01", writingIn: "H01.40.24")) { tx async throws in
                try await tx.execute("INSERT INTO things VALUES (5, 'H01.40.24', 'năm')")
                #expect(try await ids(tx) == [1, 2, 4, 5])
                #expect(try await tx.execute("UPDATE things SET name = 'đổi' WHERE id = 3") == 0)
            }
            let elsewhere = await #expect(throws: PostgresError.self) {
                try await context.transaction(.province("H01", writingIn: "H79.01.01")) { tx async throws in
                    try await tx.execute("INSERT INTO things VALUES (6, 'H79.01.01', 'sáu')")
                }
            }
            #expect(elsewhere?.sqlState == PostgresError.insufficientPrivilege)
            #expect(try await ids(in: .unit("H79.01.01"), context) == [3])
        }
    }
}
