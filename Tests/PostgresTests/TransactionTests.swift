import AsyncTestSupport
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
                {
                    _ = try await $0.pipeline([("INSERT INTO t VALUES ($1)", [3]), ("INSERT INTO t VALUES ($1)", [4])])
                },
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
                try await tx.query("SELECT current_setting('transaction_isolation')").single().decode(
                    String.self, at: 0)
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
                return try await tx.commit(after: "INSERT INTO t VALUES (2) RETURNING n").single().decode(
                    Int.self, at: 0)
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
            #expect(
                try await pool.query("SELECT array_agg(n ORDER BY n)::text FROM t").single().decode(String.self, at: 0)
                    == "{1,2}")
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
            let statements: [(String, [any PostgresEncodable])] = (1...500).map {
                ("INSERT INTO t VALUES ($1) RETURNING n", [$0])
            }
            let results = try await pool.withConnection { try await $0.pipeline(statements) }
            #expect(results.count == 500)
            #expect(try results[499].single().decode(Int.self, at: 0) == 500)

            let failing: [(String, [any PostgresEncodable])] = [
                ("INSERT INTO t VALUES ($1)", [1000]), ("INSERT INTO t VALUES ($1)", [1]),
                ("INSERT INTO t VALUES ($1)", [1001]),
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

    /// A COMMIT sent in the body's first round trip (`[BEGIN, statement, COMMIT]`) may have been
    /// applied when the connection drops: the body must not run again, and the error says so.
    @Test func connectionLostWhileTheFirstStatementsCommitIsInFlightIsNeverRetried() async throws {
        try await TestDatabase.with { database in
            let pool = database.pool()
            try await pool.query("CREATE TABLE t (n int)")
            let admin = try await PostgresConnection.connect(database.configuration)
            try await withCommitsWaitingForAMissingStandby(database, admin) {
                let attempts = Atomic<Int>(0)
                let terminator = Task {
                    try await eventually("a COMMIT waiting for the standby") {
                        try await admin.query(
                            """
                            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                            WHERE datname = $1 AND wait_event = 'SyncRep' AND application_name = 'motcua-test'
                            """, [database.name]
                        ).count == 1
                    }
                }
                let error = await #expect(throws: PostgresError.self) {
                    try await pool.transaction { tx in
                        // Only the first attempt waits, so a wrong retry shows as a second row, not a hang.
                        let synchronous = attempts.add(1, ordering: .relaxed).newValue == 1 ? "on" : "off"
                        try await tx.commit(
                            after: "INSERT INTO t SELECT 1 FROM set_config('synchronous_commit', $1, true)",
                            [synchronous])
                    }
                }
                try await terminator.value
                #expect(error?.kind == .commitOutcomeUnknown)
                #expect(error?.message.contains("may or may not have committed") == true)
                #expect(attempts.load(ordering: .relaxed) == 1)
                // The server had committed locally before the backend was terminated.
                #expect(try await pool.query("SELECT count(*) FROM t").single().decode(Int.self, at: 0) == 1)
            }
            await admin.close()
            await pool.close()
        }
    }

    /// Runs `body` while a commit that asks for synchronous replication waits for a standby that
    /// never comes (`synchronous_standby_names = 'nobody'`). The test cluster runs with
    /// `synchronous_commit = off`, so only a session that turns it on waits. Restored afterwards.
    private func withCommitsWaitingForAMissingStandby(
        _ database: TestDatabase, _ admin: PostgresConnection, _ body: () async throws -> Void
    ) async throws {
        func restore() async throws {
            try await admin.execute("ALTER SYSTEM RESET synchronous_standby_names")
            try await admin.query("SELECT pg_reload_conf()")
        }
        try await admin.execute("ALTER SYSTEM SET synchronous_standby_names = 'nobody'")
        try await admin.query("SELECT pg_reload_conf()")
        do {
            // The reload reaches the server's processes a moment later: probe until a commit waits
            // (a cancelled wait returns: the commit is local, with a warning).
            try await admin.execute("CREATE TABLE sync_probe (n int)")
            var probeConfiguration = database.configuration
            probeConfiguration.applicationName = "motcua-sync-probe"
            let probe = try await PostgresConnection.connect(probeConfiguration)
            try await probe.execute("SET synchronous_commit = on")
            try await eventually("commits to wait for the standby") {
                let returned = Atomic<Bool>(false)
                let insert = Task {
                    defer { returned.store(true, ordering: .relaxed) }
                    try await probe.execute("INSERT INTO sync_probe VALUES (1)")
                }
                var waited = false
                while !waited, !returned.load(ordering: .relaxed) {
                    waited =
                        try await admin.query(
                            """
                            SELECT pg_cancel_backend(pid) FROM pg_stat_activity
                            WHERE application_name = 'motcua-sync-probe' AND wait_event = 'SyncRep'
                            """
                        ).count == 1
                    if !waited { try await Task.sleep(for: .milliseconds(5)) }
                }
                try await insert.value
                return waited
            }
            await probe.close()
            try await body()
        } catch {
            try? await restore()
            throw error
        }
        try await restore()
    }

    @Test func statementsThatControlTheTransactionAreRefusedBeforeTheyAreSent() async throws {
        try await TestDatabase.with { database in
            let pool = database.pool()
            try await pool.query("CREATE TABLE t (n int)")
            let controlling = [
                "COMMIT", "  end", "-- why\n/* a /* nested */ comment */ ROLLBACK", "abort", "BEGIN",
                "start transaction",
                "SAVEPOINT s", "RELEASE SAVEPOINT s", "ROLLBACK TO SAVEPOINT s", "PREPARE TRANSACTION 'x'",
                "COMMIT PREPARED 'x'", "ROLLBACK PREPARED 'x'", "\tEnd;",
            ]
            // Refused as the first statement too, before the BEGIN is sent.
            let first = await #expect(throws: PostgresError.self) {
                try await pool.transaction { tx in try await tx.execute("COMMIT") }
            }
            #expect(first?.kind == .usage)
            try await pool.transaction { tx in
                try await tx.execute("INSERT INTO t VALUES (1)")
                for sql in controlling {
                    let calls: [@Sendable () async throws -> Void] = [
                        { try await tx.query(sql) }, { try await tx.execute(sql) },
                        { _ = try await tx.pipeline([("SELECT 1", []), (sql, [])]) },
                    ]
                    for call in calls {
                        let error = await #expect(throws: PostgresError.self, "\(sql)") { try await call() }
                        #expect(error?.kind == .usage)
                    }
                }
                // Words that only start like one, and a prepared statement, are ordinary statements.
                try await tx.execute("PREPARE ending AS SELECT 1")
                try await tx.query("SELECT 1 AS \"commit\"")
                try await tx.query("/* COMMIT */ SELECT 2")
            }
            // Had the ROLLBACK been sent, the row would be gone.
            #expect(try await pool.query("SELECT count(*) FROM t").single().decode(Int.self, at: 0) == 1)
            await pool.close()
        }
    }

    /// Defence in depth: a statement the transaction could not refuse still ended it.
    @Test func transactionEndedBehindItsBackIsBrokenAndRunsNothingMore() async throws {
        try await TestDatabase.with { database in
            let pool = database.pool()
            try await pool.query("CREATE TABLE t (n int)")
            let errors = Mutex<[PostgresError]>([])
            func body(_ tx: PostgresTransaction) async throws {
                try await tx.execute("INSERT INTO t VALUES (1)")
                let statements: [() async throws -> Void] = [
                    { try await tx.run(script: "COMMIT") }, { try await tx.execute("INSERT INTO t VALUES (2)") },
                ]
                for statement in statements {
                    do {
                        try await statement()
                    } catch let error as PostgresError {
                        errors.withLock { $0.append(error) }  // caught, so the transaction must fail on its own
                    }
                }
            }
            let error = await #expect(throws: PostgresError.self) { try await pool.transaction { try await body($0) } }
            #expect(error?.kind == .usage)
            #expect(errors.withLock { $0.map(\.kind) } == [.usage, .usage])
            // The stray COMMIT committed the first row; the second never ran in autocommit.
            #expect(
                try await pool.query("SELECT array_agg(n)::text FROM t").single().decode(String.self, at: 0) == "{1}")
            await pool.close()
        }
    }

    @Test func transactionUsedAfterItsClosureReturnedFailsLoudly() async throws {
        try await TestDatabase.with { database in
            let pool = database.pool()
            try await pool.query("CREATE TABLE t (n int)")
            let escaped = try await pool.transaction { tx in
                try await tx.execute("INSERT INTO t VALUES (1)")
                return tx
            }
            let unopened = try await pool.transaction { tx in tx }
            for tx in [escaped, unopened] {
                let calls: [@Sendable () async throws -> Void] = [
                    { try await tx.query("INSERT INTO t VALUES (2)") },
                    { try await tx.execute("INSERT INTO t VALUES (2)") },
                    { _ = try await tx.pipeline([("INSERT INTO t VALUES (2)", [])]) },
                    { try await tx.run(script: "INSERT INTO t VALUES (2)") },
                    { try await tx.commit(after: "INSERT INTO t VALUES (2)") },
                    { try await tx.copy("COPY t (n) FROM STDIN", rows: [[2]]) },
                ]
                for call in calls {
                    let error = await #expect(throws: PostgresError.self) { try await call() }
                    #expect(error?.kind == .usage)
                }
            }
            #expect(
                try await pool.query("SELECT array_agg(n)::text FROM t").single().decode(String.self, at: 0) == "{1}")
            await pool.close()
        }
    }

    @Test func statementAfterCommitAfterIsRefusedInsteadOfRunningInAutocommit() async throws {
        try await TestDatabase.with { database in
            let pool = database.pool()
            try await pool.query("CREATE TABLE t (n int)")
            try await pool.transaction { tx in
                try await tx.commit(after: "INSERT INTO t VALUES (1)")
                let error = await #expect(throws: PostgresError.self) {
                    try await tx.execute("INSERT INTO t VALUES (2)")
                }
                #expect(error?.kind == .usage)
            }
            #expect(
                try await pool.query("SELECT array_agg(n)::text FROM t").single().decode(String.self, at: 0) == "{1}")
            await pool.close()
        }
    }

    /// libpq refuses more than 65,535 parameters without sending anything: that is the caller's
    /// mistake, not a lost connection to retry on fresh ones.
    @Test func tooManyParametersIsAUsageErrorAndNeverRetried() async throws {
        try await TestDatabase.with { database in
            let pool = database.pool()
            let parameters: [any PostgresEncodable] = Array(repeating: 1, count: 70_000)
            let attempts = Atomic<Int>(0)
            let inTransaction = await #expect(throws: PostgresError.self) {
                try await pool.transaction { tx in
                    attempts.add(1, ordering: .relaxed)
                    try await tx.query("SELECT $1", parameters)
                }
            }
            #expect(inTransaction?.kind == .usage)
            #expect(attempts.load(ordering: .relaxed) == 1)
            let alone = await #expect(throws: PostgresError.self) { try await pool.query("SELECT $1", parameters) }
            #expect(alone?.kind == .usage)
            let piped = await #expect(throws: PostgresError.self) {
                try await pool.withConnection { try await $0.pipeline([("SELECT 1", []), ("SELECT $1", parameters)]) }
            }
            #expect(piped?.kind == .usage)
            // The connection is still good.
            let one = try await pool.query("SELECT 1").single().decode(Int.self, at: 0)
            #expect(one == 1)
            await pool.close()
        }
    }

    @Test func copyLoadsRowsWithTabsNewlinesAndNulls() async throws {
        try await TestDatabase.with { database in
            let pool = database.pool()
            try await pool.query("CREATE TABLE t (id int, note text)")
            let rows: [[any PostgresEncodable]] = (1...10_000).map {
                [$0, $0 % 10 == 0 ? String?.none : "dòng\t\($0)\nhai \\ ba"]
            }
            let copied = try await pool.transaction { tx in
                try await tx.copy("COPY t (id, note) FROM STDIN", rows: rows)
            }
            #expect(copied == 10_000)
            let sample = try await pool.query("SELECT note FROM t WHERE id = 7").single()
            #expect(try sample.decode(String.self, at: 0) == "dòng\t7\nhai \\ ba")
            #expect(
                try await pool.query("SELECT count(*) FROM t WHERE note IS NULL").single().decode(Int.self, at: 0)
                    == 1000)
            await pool.close()
        }
    }
}
