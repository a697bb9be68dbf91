import HTTP
import Observability
import Testing

/// What `start()` reports when it cannot listen.
@Suite struct HTTPServerStartTests {
    private func server(host: String = "127.0.0.1", port: Int, logs: LogSink = .memory()) -> HTTPServer {
        HTTPServer(
            configuration: .init(host: host, port: port), responder: Router<Void>().responder(context: { _ in () }),
            logger: Logger(service: "http-tests", level: .debug, sink: logs), metrics: MetricsRegistry())
    }

    @Test func portAlreadyInUseIsAStartFailureWithTheLibraryMessageLogged() async throws {
        let first = server(port: 0)
        try first.start()
        let logs = LogSink.memory()
        let second = server(port: first.port, logs: logs)
        let error = try #require(throws: HTTPServerError.self) { try second.start() }
        #expect(error.code == "start_failed")
        #expect(error.description.contains("\(first.port)"))
        #expect(logs.lines.contains { $0.contains("\"msg\":\"libmicrohttpd\"") })
        await first.shutdown()
    }

    @Test func addressThatIsNotIPv4IsRejected() {
        let error = #expect(throws: HTTPServerError.self) { try server(host: "localhost", port: 0).start() }
        #expect(error?.code == "invalid_host")
    }

    @Test func startingTwiceIsRejected() async throws {
        let running = server(port: 0)
        try running.start()
        let error = #expect(throws: HTTPServerError.self) { try running.start() }
        #expect(error?.code == "already_started")
        await running.shutdown()
    }
}
