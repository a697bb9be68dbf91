import AsyncTestSupport
import Foundation
import HTTPTestSupport
import PostgresTestSupport
import ProcessTestSupport
import Synchronization
import ServiceKit
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
        environment["MOTCUA_TOKEN_PUBLIC_KEY_FILE"] = try testPublicKeyFile()

        // As deploy/local/up does: the queue's schema and topic rights as superuser, then the
        // service's own schema under its role.
        var superuser = environment
        superuser["PGUSER"] = ProcessInfo.processInfo.environment["PGUSER"]
        let queue = try ChildProcess.service(service, "queue", ["migrate"], environment: superuser)
        #expect(try await queue.exitStatus(within: .seconds(30)) == 0)
        let migrate = try ChildProcess.service(service, "migrate", environment: environment)
        #expect(try await migrate.exitStatus(within: .seconds(30)) == 0)

        let server = try ChildProcess.service(service, "serve", environment: environment)
        let listening = try await server.line(containing: "\"msg\":\"listening\"", within: .seconds(30))
        let port = try #require(ChildProcess.port(in: listening))

        #expect(try await TestClient.request(port: port, path: "/healthz").status == 200)
        // Ready once its consumers run too, which start just after it listens.
        var ready = try await TestClient.request(port: port, path: "/readyz")
        try await eventually("\(service) to be ready") {
            ready = try await TestClient.request(port: port, path: "/readyz")
            return ready.status == 200
        }
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

    @Test func serveRefusesToStartWithoutTheTokenKeyAndSaysWhich() async throws {
        var environment = ProcessInfo.processInfo.environment
        environment["MOTCUA_WARD_CODE"] = "H01.40.23"
        environment["MOTCUA_TOKEN_PUBLIC_KEY_FILE"] = nil
        let server = try ChildProcess.service("intake", "serve", environment: environment)
        #expect(try await server.exitStatus(within: .seconds(10)) == 2)
        #expect(server.standardError.contains("MOTCUA_TOKEN_PUBLIC_KEY_FILE"))
    }

    @Test func serveRefusesToStartWithoutAWardCodeAndSaysWhich() async throws {
        var environment = ProcessInfo.processInfo.environment
        environment["MOTCUA_WARD_CODE"] = nil
        let server = try ChildProcess.service("intake", "serve", environment: environment)
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
        environment["MOTCUA_TOKEN_PUBLIC_KEY_FILE"] = try testPublicKeyFile()
        let server = try ChildProcess.service("payment", "serve", environment: environment)
        let listening = try await server.line(containing: "\"msg\":\"listening\"", within: .seconds(30))
        let port = try #require(ChildProcess.port(in: listening))
        let ready = try await TestClient.request(port: port, path: "/readyz")
        #expect(ready.status == 503)
        #expect(ready.text.contains("pending"))
        server.signal(SIGTERM)
        #expect(try await server.exitStatus(within: .seconds(10)) == 0)
        await database.drop()
    }
}

/// A public key file for staff tokens, written once per test run.
func testPublicKeyFile() throws -> String {
    let path = FileManager.default.temporaryDirectory.path + "/motcua-test-token-\(getpid()).pub"
    if !FileManager.default.fileExists(atPath: path) {
        try (SigningKey.generate().verifyingKey.hex + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }
    return path
}

extension ChildProcess {
    /// Starts `motcua-<service> <command>` from the build folder the tests run from.
    static func service(
        _ service: String, _ command: String, _ arguments: [String] = [], environment: [String: String]
    ) throws -> ChildProcess {
        try start(built("motcua-\(service)"), [command] + arguments, environment: environment)
    }

    /// The port in a service's `listening` log line.
    static func port(in line: String) -> Int? {
        guard let range = line.range(of: "\"port\":") else { return nil }
        return Int(line[range.upperBound...].prefix { $0.isNumber })
    }
}
