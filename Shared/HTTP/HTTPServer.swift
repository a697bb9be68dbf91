import CMicroHTTPD
import Glibc
import Observability
import Synchronization

/// An HTTP/1.1 server over libmicrohttpd that runs a `Responder` (a router's frozen table).
///
/// Every server also answers `GET /healthz`, `GET /readyz` (from the service's readiness checks)
/// and `GET /metrics` (the registry in Prometheus text), writes one access-log line per request
/// and counts requests per route, so services only declare their own routes.
public final class HTTPServer: Sendable {
    private let configuration: Configuration
    private let context: ServerContext
    private let lifecycle = Mutex(Lifecycle.idle)

    /// An MHD daemon pointer; `@unchecked Sendable` because raw pointers are not Sendable. It is
    /// immutable and only passed to MHD functions that may be called from any thread
    /// (`MHD_quiesce_daemon`, `MHD_stop_daemon`).
    private struct Daemon: @unchecked Sendable {
        let pointer: OpaquePointer
        let context: Unmanaged<ServerContext>
    }

    private enum Lifecycle {
        case idle
        case running(Daemon, port: Int)
        case stopped(port: Int)
    }

    /// A server for `responder` plus the built-in routes; nothing listens until `start()`.
    ///
    /// `readiness` runs on each `GET /readyz`; the default reports ready with no checks. The
    /// built-in routes win over any the responder declares at the same paths.
    public init(
        configuration: Configuration, responder: Responder, logger: Logger, metrics: MetricsRegistry,
        readiness: @escaping @Sendable () async -> ReadinessReport = { ReadinessReport(checks: []) }
    ) {
        let builtIn = Router<Void>()
        builtIn.get("/healthz") { _, _ in try .json(["status": "ok"]) }
        builtIn.get("/readyz") { _, _ in
            let report = await readiness()
            return try .json(report, status: report.isReady ? 200 : 503)
        }
        builtIn.get("/metrics") { _, _ in
            .text(await metrics.render(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        self.configuration = configuration
        context = ServerContext(
            responder: responder, builtIn: builtIn.responder(context: { _ in () }), logger: logger,
            metrics: HTTPMetrics(registry: metrics), configuration: configuration)
    }

    /// The bound port once started (the system's choice when configured with 0), else 0.
    public var port: Int {
        lifecycle.withLock { state in
            switch state {
            case .idle: 0
            case .running(_, let port), .stopped(let port): port
            }
        }
    }

    /// Binds the configured address and starts serving on libmicrohttpd's worker threads.
    ///
    /// A started server keeps itself alive until `shutdown(timeout:)`, which every service calls on SIGTERM.
    public func start() throws {
        try lifecycle.withLock { state in
            guard case .idle = state else {
                throw HTTPServerError(code: "already_started", "the server was already started")
            }
            guard (0...65535).contains(configuration.port) else {
                throw HTTPServerError(code: "invalid_port", "\(configuration.port) is not a TCP port")
            }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(configuration.port).bigEndian
            guard inet_pton(AF_INET, configuration.host, &address.sin_addr) == 1 else {
                throw HTTPServerError(code: "invalid_host", "\(configuration.host) is not an IPv4 address")
            }
            let flags =
                MHD_USE_INTERNAL_POLLING_THREAD.rawValue | MHD_USE_EPOLL.rawValue | MHD_ALLOW_SUSPEND_RESUME.rawValue
                | MHD_USE_ITC.rawValue | MHD_USE_ERROR_LOG.rawValue
            let retained = Unmanaged.passRetained(context)
            let pointer = retained.toOpaque()
            let daemon = withUnsafePointer(to: &address) { ipv4 in
                ipv4.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                    motcua_start_daemon(
                        flags, socketAddress, handleAccess, pointer, completeRequest, noticeConnection,
                        logLibraryMessage, pointer,
                        UInt32(max(1, configuration.threadPoolSize)), UInt32(max(1, configuration.connectionLimit)),
                        UInt32(max(0, configuration.perAddressConnectionLimit)),
                        max(4096, configuration.connectionMemoryLimit), UInt32(max(0, configuration.idleTimeoutSeconds))
                    )
                }
            }
            guard let daemon else {
                let reason = String(cString: strerror(errno))
                retained.release()
                throw HTTPServerError(
                    code: "start_failed", "cannot listen on \(configuration.host):\(configuration.port): \(reason)")
            }
            let port = Int(motcua_daemon_port(daemon))
            context.startDeadlines()
            state = .running(Daemon(pointer: daemon, context: retained), port: port)
            context.logger.info("listening", ["host": .string(configuration.host), "port": .int(port)])
        }
    }

    /// Stops gracefully: refuses new connections at once, answers 503 `shutting_down` (and closes)
    /// to requests still sending their body and to new requests on kept-alive connections, lets
    /// handlers running finish for up to `timeout`, answers any still running with 503, then stops
    /// the daemon. The default leaves room within the 10 s a service has after SIGTERM; later calls
    /// return at once.
    public func shutdown(timeout: Duration = .seconds(8)) async {
        let daemon: Daemon? = lifecycle.withLock { state in
            guard case .running(let daemon, let port) = state else { return nil }
            state = .stopped(port: port)
            return daemon
        }
        guard let daemon else { return }
        context.beginDraining()
        let listener = MHD_quiesce_daemon(daemon.pointer)
        // MHD stops polling the listening socket but leaves it open; shutting it down makes Linux stop
        // listening, so new connections are refused instead of waiting in the backlog.
        if listener >= 0 { _ = Glibc.shutdown(listener, Int32(SHUT_RDWR)) }

        // An unstructured task, so a cancelled caller (shutdown often runs on cancellation) still waits.
        let context = context
        let drained = await Task { await context.drained(within: timeout) }.value
        if !drained {
            context.abandonHandlers()
            _ = await Task { await context.drained(within: .seconds(1)) }.value
        }
        context.stopDeadlines()
        MHD_stop_daemon(daemon.pointer)
        if listener >= 0 { close(listener) }
        daemon.context.release()
        context.logger.info("stopped", ["drained": .bool(drained)])
    }
}
