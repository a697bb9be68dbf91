import Foundation
import HTTPTestSupport
import PostgresTestSupport
import Synchronization
import Testing

/// The five real executables, started as processes against a bootstrapped database.
@Suite(.serialized) struct ServiceProcessTests {
    @Test(arguments: serviceRoles)
    func serviceMigratesServesHealthAndStopsCleanlyOnSigterm(service: String) async throws {
        let database = try await bootstrappedDatabase("proc")
        var environment = ProcessInfo.processInfo.environment
        environment["PGDATABASE"] = database.name
        environment["PGUSER"] = service
        environment["MOTCUA_WARD_CODE"] = "H01.40.23"
        environment["MOTCUA_PORT"] = "0"

        let migrate = try ServiceProcess.start(service, "migrate", environment: environment)
        #expect(try await migrate.exitStatus(within: .seconds(30)) == 0)

        let server = try ServiceProcess.start(service, "serve", environment: environment)
        let listening = try await server.logLine(containing: "\"msg\":\"listening\"", within: .seconds(30))
        let port = try #require(ServiceProcess.port(in: listening))

        #expect(try await TestClient.request(port: port, path: "/healthz").status == 200)
        let ready = try await TestClient.request(port: port, path: "/readyz")
        #expect(ready.status == 200, "\(ready.text)")
        let missing = try await TestClient.request(port: port, path: "/no/such/page")
        #expect(missing.status == 404)
        #expect(missing.headers["content-type"]?.hasPrefix("application/problem+json") == true)
        #expect(missing.text.contains("\"code\":\"route_not_found\""))
        let metrics = try await TestClient.request(port: port, path: "/metrics")
        #expect(metrics.text.contains("http_requests_total{"))
        #expect(metrics.text.contains("http_request_duration_seconds_bucket{"))

        let started = ContinuousClock.now
        server.signal(SIGTERM)
        #expect(try await server.exitStatus(within: .seconds(10)) == 0)
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(!TestClient.canConnect(port: port))
        await database.drop()
    }

    @Test func serveRefusesToStartWithoutAWardCodeAndSaysWhich() async throws {
        var environment = ProcessInfo.processInfo.environment
        environment["MOTCUA_WARD_CODE"] = nil
        let server = try ServiceProcess.start("intake", "serve", environment: environment)
        #expect(try await server.exitStatus(within: .seconds(10)) == 2)
        #expect(server.standardError.contains("MOTCUA_WARD_CODE"))
    }

    @Test func readinessFailsWhileMigrationsArePending() async throws {
        let database = try await bootstrappedDatabase("pending")
        var environment = ProcessInfo.processInfo.environment
        environment["PGDATABASE"] = database.name
        environment["PGUSER"] = "payment"
        environment["MOTCUA_WARD_CODE"] = "H01.40.23"
        environment["MOTCUA_PORT"] = "0"
        let server = try ServiceProcess.start("payment", "serve", environment: environment)
        let listening = try await server.logLine(containing: "\"msg\":\"listening\"", within: .seconds(30))
        let port = try #require(ServiceProcess.port(in: listening))
        let ready = try await TestClient.request(port: port, path: "/readyz")
        #expect(ready.status == 503)
        #expect(ready.text.contains("pending"))
        server.signal(SIGTERM)
        #expect(try await server.exitStatus(within: .seconds(10)) == 0)
        await database.drop()
    }
}

/// A service executable running as a child process, its standard error collected.
final class ServiceProcess: Sendable {
    private let process: Process
    private let errors: LockedText
    private let output: LockedText

    private init(process: Process, errors: LockedText, output: LockedText) {
        self.process = process
        self.errors = errors
        self.output = output
    }

    /// Starts `motcua-<service> <command>` from the build folder the tests run from.
    static func start(
        _ service: String, _ command: String, _ arguments: [String] = [], environment: [String: String]
    ) throws -> ServiceProcess {
        let process = Process()
        let buildFolder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        process.executableURL = buildFolder.appendingPathComponent("motcua-\(service)")
        process.arguments = [command] + arguments
        process.environment = environment
        let errors = LockedText()
        let output = LockedText()
        for (pipe, text) in [(Pipe(), errors), (Pipe(), output)] {
            if text === errors { process.standardError = pipe } else { process.standardOutput = pipe }
            pipe.fileHandleForReading.readabilityHandler = { handle in text.append(handle.availableData) }
        }
        try process.run()
        return ServiceProcess(process: process, errors: errors, output: output)
    }

    var standardError: String { errors.text }
    var standardOutput: String { output.text }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// The exit status once the process ends, or an error after `limit` (the process is killed).
    func exitStatus(within limit: Duration) async throws -> Int32 {
        let deadline = ContinuousClock.now + limit
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                kill(process.processIdentifier, SIGKILL)
                throw ProcessTimeout(description: "still running after \(limit); stderr:\n\(standardError)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }

    /// The first log line containing `text`, waiting up to `limit` for it.
    func logLine(containing text: String, within limit: Duration) async throws -> String {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let line = standardError.split(separator: "\n").first(where: { $0.contains(text) }) { return String(line) }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ProcessTimeout(description: "no log line with \(text); stderr:\n\(standardError)")
    }

    static func port(in line: String) -> Int? {
        guard let range = line.range(of: "\"port\":") else { return nil }
        return Int(line[range.upperBound...].prefix { $0.isNumber })
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
}

struct ProcessTimeout: Error, CustomStringConvertible {
    let description: String
}

/// Text appended from a pipe's reader thread and read from tests.
final class LockedText: Sendable {
    private let storage = Mutex("")

    func append(_ data: Data) { storage.withLock { $0 += String(decoding: data, as: UTF8.self) } }
    var text: String { storage.withLock { $0 } }
}
