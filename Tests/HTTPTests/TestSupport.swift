import HTTPTestSupport
import HTTP
import Observability
import Synchronization
import Testing

/// A started server with its captured log lines and metrics, for one test.
struct TestServer {
    let server: HTTPServer
    let logs: LogSink
    let metrics: MetricsRegistry

    var port: Int { server.port }

    func request(
        _ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8]? = nil
    ) async throws -> ClientResponse {
        try await TestClient.request(port: port, method: method, path: path, headers: headers, body: body)
    }

    func get(_ path: String, headers: [(String, String)] = []) async throws -> ClientResponse {
        try await request("GET", path, headers: headers)
    }

    /// Log lines (JSON) that contain every fragment.
    func logLines(containing fragments: String...) -> [String] {
        logs.lines.filter { line in fragments.allSatisfy { line.contains($0) } }
    }
}

/// Runs `body` against a server for `router` (with no request context) on an ephemeral loopback
/// port and shuts the server down afterwards.
func withServer(
    _ router: Router<Void> = Router(), configuration: HTTPServer.Configuration = .init(port: 0),
    readiness: @escaping @Sendable () async -> ReadinessReport = { ReadinessReport(checks: []) },
    _ body: (TestServer) async throws -> Void
) async throws {
    try await withServer(
        responder: router.responder(context: { _ in () }), configuration: configuration, readiness: readiness, body)
}

/// Runs `body` against a server for `responder` on an ephemeral loopback port and shuts the server
/// down afterwards.
func withServer(
    responder: Responder, configuration: HTTPServer.Configuration = .init(port: 0),
    readiness: @escaping @Sendable () async -> ReadinessReport = { ReadinessReport(checks: []) },
    _ body: (TestServer) async throws -> Void
) async throws {
    let logs = LogSink.memory()
    let metrics = MetricsRegistry()
    let server = HTTPServer(
        configuration: configuration, responder: responder,
        logger: Logger(service: "http-tests", level: .debug, sink: logs), metrics: metrics, readiness: readiness)
    try server.start()
    do {
        try await body(TestServer(server: server, logs: logs, metrics: metrics))
    } catch {
        await server.shutdown(timeout: .seconds(2))
        throw error
    }
    await server.shutdown(timeout: .seconds(2))
}

/// A door handlers wait at until the test opens it; counts who arrived.
final class Gate: Sendable {
    private struct State {
        var isOpen = false
        var arrivals = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    var arrivals: Int { state.withLock { $0.arrivals } }

    func pass() async {
        await withCheckedContinuation { continuation in
            let passNow = state.withLock { state in
                state.arrivals += 1
                if !state.isOpen { state.waiting.append(continuation) }
                return state.isOpen
            }
            if passNow { continuation.resume() }
        }
    }

    func open() {
        let waiting = state.withLock { state in
            state.isOpen = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }
}
