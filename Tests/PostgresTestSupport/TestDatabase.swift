import Foundation
import Postgres

/// A database of its own for one test, on the throwaway server `deploy/local/test` starts
/// (reached through libpq's `PG*` variables as a superuser); dropped by `drop()`.
public struct TestDatabase: Sendable {
    public let name: String
    /// Superuser access to this database.
    public let configuration: PostgresConfiguration

    /// Creates an empty database with a unique name.
    public static func create(_ label: String = "t") async throws -> TestDatabase {
        let admin = try await adminConnection()
        let name = "\(label)_\(UInt64.random(in: 0...UInt64.max) % 1_000_000_000_000)"
        try await admin.execute("CREATE DATABASE \(PostgresConnection.quoteIdentifier(name))")
        await admin.close()
        var configuration = PostgresConfiguration(applicationName: "motcua-test")
        configuration.database = name
        return TestDatabase(name: name, configuration: configuration)
    }

    /// A pool on this database as the superuser.
    public func pool(maxConnections: Int = 4) -> PostgresPool {
        PostgresPool(configuration: configuration, maxConnections: maxConnections)
    }

    /// A pool that logs in as a service role (trust authentication on the test server).
    public func pool(as role: String, maxConnections: Int = 2) -> PostgresPool {
        PostgresPool(configuration: configuration.with(user: role), maxConnections: maxConnections)
    }

    /// Runs `deploy/sql/bootstrap.sql` as the superuser: the service roles, their schemas, `mq`.
    public func bootstrap() async throws {
        let script = try String(contentsOfFile: Self.repositoryRoot + "/deploy/sql/bootstrap.sql", encoding: .utf8)
        let admin = try await PostgresConnection.connect(configuration)
        defer { Task { await admin.close() } }
        try await admin.run(script: script)
    }

    /// The repository's root folder (this file is Tests/PostgresTestSupport/TestDatabase.swift).
    public static let repositoryRoot: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    /// The text of the throwaway server's log (`postgres.log` beside `MOTCUA_TEST_PGDATA`, as
    /// `deploy/local/test` starts it), read after a test's statements to see what they left there.
    public static func serverLog() throws -> String {
        guard let data = ProcessInfo.processInfo.environment["MOTCUA_TEST_PGDATA"], !data.isEmpty else {
            throw PostgresError(kind: .usage, message: "MOTCUA_TEST_PGDATA is not set: run deploy/local/test")
        }
        let log = URL(fileURLWithPath: data).deletingLastPathComponent().appendingPathComponent("postgres.log")
        return String(decoding: try Data(contentsOf: log), as: UTF8.self)
    }

    /// Drops the database, ending its other sessions first.
    public func drop() async {
        guard let admin = try? await Self.adminConnection() else { return }
        _ = try? await admin.execute("DROP DATABASE IF EXISTS \(PostgresConnection.quoteIdentifier(name)) WITH (FORCE)")
        await admin.close()
    }

    /// Runs `body` with a fresh database and drops it afterwards, pass or fail.
    public static func with<R>(_ label: String = "t", _ body: (TestDatabase) async throws -> R) async throws -> R {
        let database = try await create(label)
        do {
            let result = try await body(database)
            await database.drop()
            return result
        } catch {
            await database.drop()
            throw error
        }
    }

    static func adminConnection() async throws -> PostgresConnection {
        guard let host = ProcessInfo.processInfo.environment["PGHOST"], !host.isEmpty else {
            throw PostgresError(
                kind: .usage,
                message: "PGHOST is not set: run the tests with deploy/local/test, which starts a throwaway PostgreSQL")
        }
        return try await PostgresConnection.connect(PostgresConfiguration(applicationName: "motcua-test"))
    }
}
