import CMicroHTTPD
import Foundation
import Glibc
import Observability
import Synchronization

/// Everything libmicrohttpd's callbacks need, reached through their context pointer: the routes,
/// the logger and metrics, and the requests in flight.
final class ServerContext: Sendable {
    /// The service's routes.
    let responder: Responder
    /// `/healthz`, `/readyz` and `/metrics`, which win over the service's routes.
    let builtIn: Responder
    let logger: Logger
    let metrics: HTTPMetrics
    /// libmicrohttpd's own messages, rate-limited.
    let libraryLog: LibraryLog
    /// The open connections and their deadlines.
    let connections = ConnectionTable()
    /// The bytes buffered request bodies may hold at once.
    let bodyBudget: BodyBudget
    /// Whose `X-Forwarded-For` names a request's client.
    let trustedProxies: TrustedProxies
    private let headerTimeout: Duration
    private let bodyTimeout: Duration
    /// Requests between their first callback and MHD's completion notice, by identity.
    private let inFlight = Mutex<[ObjectIdentifier: Exchange]>([:])
    /// Set when shutdown begins: responses then ask clients to close their connection, and new
    /// requests on kept-alive connections are answered 503 at once.
    private let draining = Atomic<Bool>(false)
    /// Set once shutdown gave up on the handlers still running: no connection is suspended from
    /// then on, since MHD must not be stopped with one suspended.
    private let abandoned = Atomic<Bool>(false)
    private let deadlinesStopped = Atomic<Bool>(false)

    init(
        responder: Responder, builtIn: Responder, logger: Logger, metrics: HTTPMetrics,
        configuration: HTTPServer.Configuration
    ) {
        self.responder = responder
        self.builtIn = builtIn
        self.logger = logger
        self.metrics = metrics
        libraryLog = LibraryLog(logger: logger, metrics: metrics)
        bodyBudget = BodyBudget(bytes: configuration.bufferedBodyBudget)
        trustedProxies = configuration.trustedProxies
        headerTimeout = configuration.headerTimeout
        bodyTimeout = configuration.bodyTimeout
    }

    var isDraining: Bool { draining.load(ordering: .relaxed) }
    var isAbandoned: Bool { abandoned.load(ordering: .relaxed) }

    /// Closes the connections past their header or body deadline, four times a second, on a
    /// thread of its own (a busy concurrency pool must not delay it) until `stopDeadlines()`.
    func startDeadlines() {
        let thread = Thread { [self] in
            while !deadlinesStopped.load(ordering: .relaxed) {
                usleep(250_000)
                connections.sweep(headerTimeout: headerTimeout, bodyTimeout: bodyTimeout) { exchange, socket in
                    cut(exchange, socket: socket, with: .requestTimeout)
                }
            }
        }
        thread.name = "http-deadlines"
        thread.start()
    }

    /// Ends the deadline thread (at its next turn).
    func stopDeadlines() {
        deadlinesStopped.store(true, ordering: .relaxed)
    }

    /// Stops a request whose body is still arriving with `problem`, written to `socket`; false when
    /// the request is past receiving.
    func cut(_ exchange: Exchange, socket: Int32, with problem: ProblemError) -> Bool {
        let response = finalize(
            problem.response(instance: exchange.path, requestId: exchange.requestId), for: exchange, closing: true)
        guard exchange.cut(with: response, socket: socket) else { return false }
        record(response, for: exchange)
        return true
    }

    /// The problem refusing a request from its header fields alone, before any body is read: a
    /// server shutting down, ambiguous framing, no route, a declared body over the route's limit or
    /// over what the body budget has left. Nil when the request may go on.
    func refusal(for exchange: Exchange, version: String) -> Response? {
        if isDraining {
            return ProblemError.shuttingDown.response(instance: exchange.path, requestId: exchange.requestId)
        }
        if let problem = exchange.framingProblem(version: version) {
            return problem.response(instance: exchange.path, requestId: exchange.requestId)
        }
        let resolution = exchange.resolution
        if let refusal = resolution.refusal(method: exchange.method, path: exchange.path, requestId: exchange.requestId)
        {
            return refusal
        }
        let declared = exchange.declaredLength ?? 0
        if declared > resolution.body.limit {
            return ProblemError.payloadTooLarge(limit: resolution.body.limit)
                .response(instance: exchange.path, requestId: exchange.requestId)
        }
        if !resolution.body.isStreaming, !exchange.reserve(declared, from: bodyBudget) {
            return ProblemError.serverBusy.response(instance: exchange.path, requestId: exchange.requestId)
        }
        return nil
    }

    /// Where a request lands: a built-in route, else the service's.
    func resolve(method: String, segments: [String]) -> Resolution {
        let builtIn = builtIn.resolve(method: method, segments: segments)
        if case .found = builtIn.outcome { return builtIn }
        return responder.resolve(method: method, segments: segments)
    }

    func begin(_ exchange: Exchange) {
        inFlight.withLock { all in
            all[ObjectIdentifier(exchange)] = exchange
            metrics.setInFlight(all.count)
        }
    }

    func end(_ exchange: Exchange) {
        inFlight.withLock { all in
            all[ObjectIdentifier(exchange)] = nil
            metrics.setInFlight(all.count)
        }
    }

    /// Runs the request's route and answers MHD; this is the body of the Task started for each
    /// request (at the end of a buffered body, at the headers of a streaming one).
    func handle(_ exchange: Exchange, request: Request) async {
        let response = finalize(await exchange.resolution.respond(to: request, logger: logger), for: exchange)
        exchange.channel?.abandon()
        guard let completion = exchange.complete(with: response) else { return }
        record(response, for: exchange)
        if case .resume(let connection) = completion { MHD_resume_connection(connection.pointer) }
    }

    /// The response for a request answered without a handler (no route, or a body too large):
    /// the same headers, metrics and log line as every other response.
    func answerNow(_ exchange: Exchange, with response: Response) -> Response {
        let response = finalize(response, for: exchange)
        record(response, for: exchange)
        return response
    }

    private func finalize(_ response: Response, for exchange: Exchange, closing: Bool = false) -> Response {
        var response = response
        response.headers["X-Request-Id"] = exchange.requestId
        if closing || isDraining { response.headers["Connection"] = "close" }
        return response
    }

    /// Metrics and the access log line, with the client's address (the front door's access line
    /// carries the same). Query strings and bodies stay out: they may carry personal data.
    private func record(_ response: Response, for exchange: Exchange) {
        let elapsed = ContinuousClock.now - exchange.started
        let seconds = elapsed.inSeconds
        let route = exchange.resolution.routeLabel
        metrics.observe(method: exchange.method, route: route, status: response.status, seconds: seconds)
        logger.info(
            "request",
            [
                "method": .string(exchange.method), "route": .string(route),
                "path": .string(exchange.path),
                "status": .int(response.status), "durationMs": .double((seconds * 1e6).rounded() / 1e3),
                "bytes": .int(response.body.count), "requestId": .string(exchange.requestId),
                "client": .string(exchange.clientAddress ?? "unknown"),
            ])
    }

    /// Marks the server as shutting down and answers 503 to every request still sending its body:
    /// a slow upload is not waited on.
    func beginDraining() {
        draining.store(true, ordering: .relaxed)
        connections.cutReceiving { exchange, socket in cut(exchange, socket: socket, with: .shuttingDown) }
    }

    /// Waits until no request is in flight or `timeout` passes; true when drained.
    func drained(within timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while inFlight.withLock({ !$0.isEmpty }) {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return true
    }

    /// Answers 503 `shutting_down` for every request whose handler is still running, so MHD can
    /// be stopped (it must not be stopped with suspended connections). The handlers' own answers,
    /// if they ever come, are dropped.
    func abandonHandlers() {
        abandoned.store(true, ordering: .relaxed)
        for exchange in inFlight.withLock({ Array($0.values) }) {
            let response = finalize(
                ProblemError.shuttingDown.response(instance: exchange.path, requestId: exchange.requestId),
                for: exchange)
            guard let completion = exchange.complete(with: response) else { continue }
            exchange.channel?.abandon()
            logger.warning(
                "handler abandoned at shutdown",
                ["requestId": .string(exchange.requestId), "route": .string(exchange.resolution.routeLabel)])
            record(response, for: exchange)
            if case .resume(let connection) = completion { MHD_resume_connection(connection.pointer) }
        }
    }
}
