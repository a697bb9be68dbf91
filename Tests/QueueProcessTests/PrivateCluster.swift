import Foundation
import Postgres
import ProcessTestSupport

/// A PostgreSQL cluster of one test's own, in a temporary folder, reached over a unix socket only:
/// restarting it disturbs none of the tests that share `deploy/local/test`'s server meanwhile.
///
/// Built from the contract's `MOTCUA_TEST_POSTGRES_BIN` (initdb, postgres) and run as
/// `MOTCUA_TEST_PG_OS_USER` (the server refuses to run as root). The postmaster runs in the
/// foreground as a child process: `pg_ctl start` would leave it holding the descriptor through
/// which Foundation learns that its child exited, so that `pg_ctl` would never seem to end.
struct PrivateCluster {
    let folder: URL
    private let binaries: URL
    private let osUser: String
    private var server: ChildProcess

    private var dataFolder: URL { folder.appendingPathComponent("data") }

    /// libpq's variables for this cluster's superuser, for child processes.
    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["PGHOST"] = folder.path
        environment["PGPORT"] = "5432"
        environment["PGUSER"] = "postgres"
        environment["PGDATABASE"] = "postgres"
        return environment
    }

    /// The superuser's configuration, for pools in the test process.
    var configuration: PostgresConfiguration {
        PostgresConfiguration(
            connectionString: "host=\(folder.path) port=5432 user=postgres dbname=postgres",
            applicationName: "motcua-test", connectTimeoutSeconds: 2)
    }

    /// Creates and starts a fresh cluster, fast rather than durable.
    static func start() async throws -> PrivateCluster {
        let binaries = URL(fileURLWithPath: try requiredEnvironment("MOTCUA_TEST_POSTGRES_BIN"))
        let osUser = try requiredEnvironment("MOTCUA_TEST_PG_OS_USER")
        let folder = URL(fileURLWithPath: "/tmp").appendingPathComponent(
            "motcua-pg-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        try FileManager.default.setAttributes([.ownerAccountName: osUser], ofItemAtPath: folder.path)
        let initdb = try launch(
            binaries, "initdb",
            [
                "-D", folder.appendingPathComponent("data").path, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                "--locale=C.UTF-8", "--no-sync",
            ], as: osUser)
        guard try await initdb.exitStatus(within: .seconds(60)) == 0 else {
            throw TestFailure("initdb failed:\n\(initdb.allOutput)")
        }
        let server = try await postmaster(binaries, folder, as: osUser)
        return PrivateCluster(folder: folder, binaries: binaries, osUser: osUser, server: server)
    }

    /// What `pg_ctl restart -m fast` does: SIGINT to the postmaster (fast shutdown: every session
    /// ended, open transactions rolled back), wait for it to exit, start it again and wait until
    /// it accepts connections.
    mutating func restart() async throws {
        try signalPostmaster(SIGINT)
        _ = try await server.exitStatus(within: .seconds(60))
        server = try await Self.postmaster(binaries, folder, as: osUser)
    }

    /// Stops the server at once (immediate shutdown) and removes the folder.
    func remove() async {
        if (try? signalPostmaster(SIGQUIT)) != nil { _ = try? await server.exitStatus(within: .seconds(30)) }
        try? FileManager.default.removeItem(at: folder)
    }

    /// The postmaster's pid is in `postmaster.pid`: the child process may be `runuser`.
    private func signalPostmaster(_ signal: Int32) throws {
        let lines = try String(contentsOf: dataFolder.appendingPathComponent("postmaster.pid"), encoding: .utf8)
        guard let pid = lines.split(separator: "\n").first.flatMap({ Int32($0) }) else {
            throw TestFailure("no pid in postmaster.pid")
        }
        kill(pid, signal)
    }

    private static func postmaster(_ binaries: URL, _ folder: URL, as osUser: String) async throws -> ChildProcess {
        let server = try launch(
            binaries, "postgres",
            [
                "-D", folder.appendingPathComponent("data").path, "-p", "5432", "-c", "listen_addresses=",
                "-c", "unix_socket_directories=\(folder.path)", "-c", "fsync=off", "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off", "-c", "max_connections=100",
            ], as: osUser)
        try await server.line(containing: "database system is ready to accept connections", within: .seconds(60))
        return server
    }

    /// Starts a PostgreSQL program as the cluster's OS user (through runuser when that is not us).
    private static func launch(_ binaries: URL, _ program: String, _ arguments: [String], as osUser: String) throws
        -> ChildProcess
    {
        let executable = binaries.appendingPathComponent(program)
        guard osUser != NSUserName() else { return try ChildProcess.start(executable, arguments, mergingOutput: true) }
        return try ChildProcess.start(
            URL(fileURLWithPath: "/usr/sbin/runuser"), ["-u", osUser, "--", executable.path] + arguments,
            mergingOutput: true)
    }
}
