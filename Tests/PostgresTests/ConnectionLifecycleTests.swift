import AsyncTestSupport
import Postgres
import PostgresTestSupport
import Observability
import Testing

@Suite struct ConnectionLifecycleTests {
    @Test func listenReceivesNotifySentFromAnotherConnection() async throws {
        try await TestDatabase.with { database in
            let listener = PostgresListener(
                configuration: database.configuration, channels: ["mq_intake"], logger: Logger(service: "test"))
            var events = listener.events().makeAsyncIterator()
            #expect(await events.next() == .connected)
            let sender = try await PostgresConnection.connect(database.configuration)
            try await sender.execute("SELECT pg_notify('mq_intake', 'dossier.received')")
            guard case .notification(let notification) = await events.next() else {
                Issue.record("expected a notification")
                return
            }
            #expect(notification.channel == "mq_intake")
            #expect(notification.payload == "dossier.received")
            listener.stop()
            #expect(await events.next() == nil)
            await sender.close()
        }
    }

    @Test func listenerListensAgainAfterItsBackendIsTerminated() async throws {
        try await TestDatabase.with { database in
            let listener = PostgresListener(
                configuration: database.configuration, channels: ["mq_payment"],
                logger: Logger(service: "test", level: .error))
            var events = listener.events().makeAsyncIterator()
            #expect(await events.next() == .connected)
            let admin = try await PostgresConnection.connect(database.configuration)
            try await admin.query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
                [database.name])
            #expect(await events.next() == .connected)
            try await admin.execute("NOTIFY mq_payment, 'again'")
            guard case .notification(let notification) = await events.next() else {
                Issue.record("expected a notification after reconnecting")
                return
            }
            #expect(notification.payload == "again")
            listener.stop()
            await admin.close()
        }
    }

    /// Listeners wait on threads of their own: more idle ones than Dispatch has worker threads
    /// (255) must not hold up the rest of the process's database calls.
    @Test func threeHundredIdleListenersDoNotDelayAOneRowQuery() async throws {
        try await TestDatabase.with { database in
            let listeners = (0..<300).map { index in
                PostgresListener(
                    configuration: database.configuration, channels: ["idle_\(index)"],
                    logger: Logger(service: "test", level: .error))
            }
            let streams = listeners.map { $0.events() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for stream in streams {
                    group.addTask {
                        var events = stream.makeAsyncIterator()
                        let first = await events.next()
                        guard first == .connected else { throw ListenerEnded(first: first) }
                    }
                }
                try await group.waitForAll()
            }
            // Every listener now waits on its socket. One-row queries for 3 s (past the moment when
            // the listeners' first waits might all end together), each with a bound for a hang.
            let pool = database.pool(maxConnections: 1)
            let end = ContinuousClock.now + .seconds(3)
            var queries = 0
            while ContinuousClock.now < end {
                let started = ContinuousClock.now
                #expect(try await pool.query("SELECT 1").single().decode(Int.self, at: 0) == 1)
                let took = ContinuousClock.now - started
                #expect(took < .seconds(5), "one-row query \(queries) took \(took) beside 300 idle listeners")
                queries += 1
                try await Task.sleep(for: .milliseconds(50))
            }
            await pool.close()
            for listener in listeners { listener.stop() }
            for stream in streams {
                for await _ in stream {}  // ends once its listener stopped
            }
        }
    }

    @Test func poolReplacesConnectionsWhoseBackendsWereTerminated() async throws {
        try await TestDatabase.with { database in
            let pool = database.pool(maxConnections: 3)
            // Open three connections and leave them idle in the pool.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<3 { group.addTask { try await pool.query("SELECT pg_sleep(0.05)") } }
                try await group.waitForAll()
            }
            let before = try await pool.query("SELECT pg_backend_pid()").single().decode(Int32.self, at: 0)
            let admin = try await PostgresConnection.connect(database.configuration)
            let killed = try await admin.query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
                [database.name])
            #expect(killed.count == 3)
            // pg_terminate_backend only signals; wait until the backends have really exited, as
            // after a server restart. (A backend dying during a statement fails that statement.)
            let deadline = ContinuousClock.now + .seconds(10)
            while try await admin.query(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [database.name]
            ).single().decode(Int.self, at: 0) > 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            // Every pooled connection is dead now; the pool must hand out working ones.
            for _ in 0..<5 {
                let after = try await pool.query("SELECT pg_backend_pid()").single().decode(Int32.self, at: 0)
                #expect(after != before)
            }
            await admin.close()
            await pool.close()
        }
    }

    @Test func poolNeverOpensMoreThanItsLimit() async throws {
        try await TestDatabase.with { database in
            let pool = database.pool(maxConnections: 3)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<30 { group.addTask { try await pool.query("SELECT pg_sleep(0.01)") } }
                try await group.waitForAll()
            }
            let admin = try await PostgresConnection.connect(database.configuration)
            let open = try await admin.query(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [database.name])
            #expect(try open.single().decode(Int.self, at: 0) == 3)
            await admin.close()
            await pool.close()
        }
    }

    @Test func connectionLentWhenThePoolClosedIsClosedWhenItComesBack() async throws {
        try await TestDatabase.with { database in
            var configuration = database.configuration
            configuration.applicationName = "motcua-lent-\(database.name)"
            let pool = PostgresPool(configuration: configuration, maxConnections: 2)
            let admin = try await PostgresConnection.connect(database.configuration)
            func backends() async throws -> Int {
                try await admin.query(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1", [configuration.applicationName]
                ).single().decode(Int.self, at: 0)
            }
            try await pool.query("SELECT 1")  // one idle connection
            try await pool.withConnection { connection in
                try await connection.query("SELECT 1")
                #expect(try await backends() == 1)
                await pool.close()
            }
            try await eventually("the pool's backends to exit") { try await backends() == 0 }
            await admin.close()
        }
    }

    @Test func optionsOfTheConnectionStringReachTheServerBesideTheSessionSettings() async throws {
        try await TestDatabase.with { database in
            let configuration = PostgresConfiguration(
                connectionString: "postgresql:///\(database.name)?options=-c%20statement_timeout%3D4321",
                applicationName: "motcua-test")
            let connection = try await PostgresConnection.connect(configuration)
            let row = try await connection.query(
                "SELECT current_setting('statement_timeout'), current_setting('TimeZone')"
            ).single()
            #expect(try row.decode(String.self, at: 0) == "4321ms")
            #expect(try row.decode(String.self, at: 1) == "UTC")
            await connection.close()
        }
    }

    @Test func connectionFailureNamesTheCause() async throws {
        var configuration = PostgresConfiguration(
            connectionString: "postgresql://nobody@127.0.0.1:1/none", connectTimeoutSeconds: 2)
        configuration.applicationName = "test"
        let error = await #expect(throws: PostgresError.self) { try await PostgresConnection.connect(configuration) }
        #expect(error?.kind == .connection)
        #expect(error?.message.contains("127.0.0.1") == true)
    }
}

/// A listener's stream gave something other than `.connected` first.
private struct ListenerEnded: Error {
    let first: PostgresListener.Event?
}
