import CMicroHTTPD
import Observability
import Synchronization

/// Everything libmicrohttpd's callbacks need, reached through their context pointer: the routes,
/// the logger and metrics, and the requests in flight.
final class ServerContext: Sendable {
    let router: Router
    let logger: Logger
    let metrics: HTTPMetrics
    let maximumBodySize: Int
    /// Requests between their first callback and MHD's completion notice, by identity.
    private let inFlight = Mutex<[ObjectIdentifier: Exchange]>([:])
    /// Set when shutdown begins: responses then ask clients to close their connection.
    private let draining = Atomic<Bool>(false)

    init(router: Router, logger: Logger, metrics: HTTPMetrics, maximumBodySize: Int) {
        self.router = router
        self.logger = logger
        self.metrics = metrics
        self.maximumBodySize = maximumBodySize
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

    /// Runs the request's handler (or the built-in problem) and answers MHD on the suspended
    /// connection; this is the body of the Task started for each request.
    func handle(_ exchange: Exchange, body: [UInt8]) async {
        let response = finalize(await respond(to: exchange, body: body), for: exchange)
        guard let connection = exchange.complete(with: response) else { return }
        record(response, for: exchange)
        MHD_resume_connection(connection.pointer)
    }

    /// The response for a request answered without a handler (its body was too large): the same
    /// headers, metrics and log line as every other response.
    func answerNow(_ exchange: Exchange, with problem: ProblemError) -> Response {
        let response = finalize(problem.response(instance: exchange.path, requestId: exchange.requestId), for: exchange)
        record(response, for: exchange)
        return response
    }

    private func respond(to exchange: Exchange, body: [UInt8]) async -> Response {
        switch exchange.match {
        case .notFound:
            return ProblemError.routeNotFound(path: exchange.path)
                .response(instance: exchange.path, requestId: exchange.requestId)
        case .methodNotAllowed(let allowed):
            var response = ProblemError.methodNotAllowed(method: exchange.method, path: exchange.path)
                .response(instance: exchange.path, requestId: exchange.requestId)
            response.headers["Allow"] = allowed.joined(separator: ", ")
            return response
        case .found(let route, let parameters):
            do {
                return try await route.handler(exchange.request(body: body, parameters: parameters))
            } catch let problem as ProblemError {
                return problem.response(instance: exchange.path, requestId: exchange.requestId)
            } catch {
                logger.error(
                    "handler failed",
                    [
                        "requestId": .string(exchange.requestId), "method": .string(exchange.method),
                        "route": .string(route.pattern), "error": .string(String(describing: error)),
                    ])
                return ProblemError.internalError(requestId: exchange.requestId)
                    .response(instance: exchange.path, requestId: exchange.requestId)
            }
        }
    }

    private func finalize(_ response: Response, for exchange: Exchange) -> Response {
        var response = response
        response.headers["X-Request-Id"] = exchange.requestId
        if draining.load(ordering: .relaxed) { response.headers["Connection"] = "close" }
        return response
    }

    /// Metrics and the access log line. Query strings and bodies stay out: they may carry personal data.
    private func record(_ response: Response, for exchange: Exchange) {
        let elapsed = ContinuousClock.now - exchange.started
        let seconds = elapsed.inSeconds
        metrics.observe(method: exchange.method, route: exchange.routeLabel, status: response.status, seconds: seconds)
        logger.info(
            "request",
            [
                "method": .string(exchange.method), "route": .string(exchange.routeLabel),
                "path": .string(exchange.path),
                "status": .int(response.status), "durationMs": .double((seconds * 1e6).rounded() / 1e3),
                "bytes": .int(response.body.count), "requestId": .string(exchange.requestId),
            ])
    }

    /// Marks the server as shutting down.
    func beginDraining() {
        draining.store(true, ordering: .relaxed)
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
        for exchange in inFlight.withLock({ Array($0.values) }) {
            let response = finalize(
                ProblemError.shuttingDown.response(instance: exchange.path, requestId: exchange.requestId),
                for: exchange)
            guard let connection = exchange.complete(with: response) else { continue }
            logger.warning(
                "handler abandoned at shutdown",
                ["requestId": .string(exchange.requestId), "route": .string(exchange.routeLabel)])
            record(response, for: exchange)
            MHD_resume_connection(connection.pointer)
        }
    }
}
