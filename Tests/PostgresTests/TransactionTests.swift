import Postgres
import PostgresTestSupport
import Synchronization
import Testing

@Suite struct TransactionTests {
    struct Refused: Error {}

    @Test func throwingBodyRollsBackEveryWrite() async throws {
        try await TestDatabase.with { database in
            let pool = database.pool()
            try await pool.query("CREATE TABLE t (n int)")
            await #expect(throws: Refused.self) {
                try await pool.transaction { tx in
                    try await tx.execute("INSERT INTO t VALUES (1)")
                    throw Refused()
                }
            }
            #expect(try await pool.query("SELECT count(*) FROM t").single().decode(Int.self, at: 0) == 0)
            await pool.close()
        }
    }

    /// The BEGIN travels with the first statement, whichever kind it is: each is undone here.
    @Test func scriptPipelineOrCopyAsFirstStatementRunsInsideTheTransaction() async throws {
        try await TestDatabase.with { database in
            let pool = database.pool()
            try await pool.query("CREATE TABLE t (n int)")
            let firstStatements: [@Sendable (PostgresTransaction) async throws -> Void] = [
                { try await $0.run(script: "INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)") },
                { _ = try await $0.pipeline([("INSERT INTO t VALUES ($1)", [3]), ("INSERT INTO t VALUES ($1)", [4])]) },
                { try await $0.copy("COPY t (n) FROM STDIN", rows: [[5], [6]]) },
            ]
            for first in firstStatements {
                await #expect(throws: Refused.self) {
                    try await pool.transaction { tx in
                        try await first(tx)
                        #expect(try await tx.query("SELECT count(*) FROM t").single().decode(Int.self, at: 0) == 2)
                        throw Refused()
                    }
                }
            }
            #expect(try await pool.query("SELECT count(*) FROM t").single().decode(Int.self, at: 0) == 0)
            // And the isolation level asked for is the one the first statement ran under.
            let level = try await pool.transaction(.serializable) { tx in
                try await tx.query("SELECT current_setting('transaction_isolation')").single().decode(String.self, at: 0)
            }
            #expect(level == "serializable")
            await pool.close()
        }
    }

    @Test func commitAfterALastStatementCommitsBothOrNeither() async throws {
        try await TestDatabase.with { database in
            let pool = database.pool()
            try await pool.query("CREATE TABLE t (n int PRIMARY KEY)")
            let ran = Atomic<Int>(0)
            let last = try await pool.transaction { tx in
                tx.afterCommit { ran.add(1, ordering: .relaxed) }
                try await tx.execute("INSERT INTO t VALUES (1)")
                return try await tx.commit(after: "INSERT INTO t VALUES (2) RETURNING n").single().decode(Int.self, at: 0)
            }
            #expect(last == 2)
            #expect(ran.load(ordering: .relaxed) == 1)
            // The last statement fails: the COMMIT sent with it is skipped and the rest rolls back.
            await #expect(throws: PostgresError.self) {
                try await pool.transaction { tx in
                    tx.afterCommit { ran.add(10, ordering: .relaxed) }
                    try await tx.execute("INSERT INTO t VALUES (3)")
                    try await tx.commit(after: "INSERT INTO t VALUES (1)")
                }
            }
            #expect(ran.load(ordering: .relaxed) == 1)
            #expect(try await pool.query("SELECT array_agg(n ORDER BY n)::text FROM t").single().decode(String.self, at: 0) == "{1,2}")
            // The connection went back to the pool clean: the next transaction works.
            try await pool.transaction { tx in try await tx.execute("INSERT INTO t VALUES (4)") }
            await pool.close()
        }
    }

    @Test func afterCommitActionsRunOnlyOnceTheTransactionCommitted() async throws {
        try await TestDatabase.with { database in
            let pool = database.pool()
            let ran = Atomic<Int>(0)
            try await pool.transaction { tx in
                tx.afterCommit { ran.add(1, ordering: .relaxed) }
                #expect(ran.load(ordering: .relaxed) == 0)
            }
            #expect(ran.load(ordering: .relaxed) == 1)
            await #expect(throws: Refused.self) {
                try await pool.transaction { tx in
                    tx.afterCommit { ran.add(10, ordering: .relaxed) }
                    throw Refused()
                }
            }
            #expect(ran.load(ordering: .relaxed) == 1)
            await pool.close()
        }
    }

    @Test func caughtStatementErrorStillRollsBackInsteadOfCommitting() async throws {
        try await TestDatabase.with { database in
            let pool = database.pool()
            try await pool.query("CREATE TABLE t (n int PRIMARY KEY)")
            await #expect(throws: PostgresError.self) {
                try await pool.transaction { tx in
                    try await tx.execute("INSERT INTO t VALUES (1)")
                    _ = try? await tx.execute("INSERT INTO t VALUES (1)")
                }
            }
            #expect(try await pool.query("SELECT count(*) FROM t").single().decode(Int.self, at: 0) == 0)
            await pool.close()
        }
    }

    @Test func serializationFailureIsRetriedUntilTheBodyCommits() async throws {
        try await TestDatabase.with { database in
            let pool = database.pool(maxConnections: 2)
            try await pool.query("CREATE TABLE counter (id int PRIMARY KEY, n int)")
            try await pool.query("INSERT INTO counter VALUES (1, 0)")
            let attempts = Atomic<Int>(0)
            // The body reads, then another connection commits a change to the same row, then the
            // body writes it: under SERIALIZABLE the first attempt must fail with 40001.
            try await pool.transaction(.serializable) { tx in
                let attempt = attempts.add(1, ordering: .relaxed).newValue
                _ = try await tx.query("SELECT n FROM counter WHERE id = 1")
                if attempt == 1 {
                    let other = try await PostgresConnection.connect(database.configuration)
                    try await other.execute("UPDATE counter SET n = n + 100 WHERE id = 1")
                    await other.close()
                }
                try await tx.execute("UPDATE counter SET n = n + 1 WHERE id = 1")
            }
            #expect(attempts.load(ordering: .relaxed) == 2)
            #expect(try await pool.query("SELECT n FROM counter").single().decode(Int.self, at: 0) == 101)
            await pool.close()
        }
    }

    @Test func pipelineRunsManyStatementsAsOneBatchAndStopsAtTheFirstError() async throws {
        try await TestDatabase.with { database in
            let pool = database.pool()
            try await pool.query("CREATE TABLE t (n int PRIMARY KEY)")
            let statements: [(String, [any PostgresEncodable])] = (1...500).map { ("INSERT INTO t VALUES ($1) RETURNING n", [$0]) }
            let results = try await pool.withConnection { try await $0.pipeline(statements) }
            #expect(results.count == 500)
            #expect(try results[499].single().decode(Int.self, at: 0) == 500)

            let failing: [(String, [any PostgresEncodable])] = [
                ("INSERT INTO t VALUES ($1)", [1000]), ("INSERT INTO t VALUES ($1)", [1]), ("INSERT INTO t VALUES ($1)", [1001]),
            ]
            let error = await #expect(throws: PostgresError.self) {
                try await pool.withConnection { try await $0.pipeline(failing) }
            }
            #expect(error?.sqlState == PostgresError.uniqueViolation)
            // The batch was one implicit transaction: 1000 was rolled back with it, 1001 never ran.
            #expect(try await pool.query("SELECT count(*) FROM t").single().decode(Int.self, at: 0) == 500)
            await pool.close()
        }
    }

    @Test func copyLoadsRowsWithTabsNewlinesAndNulls() async throws {
        try await TestDatabase.with { database in
            let pool = database.pool()
            try await pool.query("CREATE TABLE t (id int, note text)")
            let rows: [[any PostgresEncodable]] = (1...10_000).map { [$0, $0 % 10 == 0 ? String?.none : "dòng\t\($0)\nhai \\ ba"] }
            let copied = try await pool.transaction { tx in try await tx.copy("COPY t (id, note) FROM STDIN", rows: rows) }
            #expect(copied == 10_000)
            let sample = try await pool.query("SELECT note FROM t WHERE id = 7").single()
            #expect(try sample.decode(String.self, at: 0) == "dòng\t7\nhai \\ ba")
            #expect(try await pool.query("SELECT count(*) FROM t WHERE note IS NULL").single().decode(Int.self, at: 0) == 1000)
            await pool.close()
        }
    }
}
