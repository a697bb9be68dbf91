import Foundation
import Glibc
import HTTP
import HTTPTestSupport
import Observability
import ProcessTestSupport

/// Debian's nginx run with the repository's front-door configuration (deploy/nginx, through
/// deploy/nginx/configure) in a private folder, in front of five in-process servers that stand for
/// the services: each answers every path of the routing table with its own name and the request id
/// it received, unless a test gives a service's real responder (intake's, from a `ServiceHarness`).
final class FrontDoor: Sendable {
    /// Paths the routing table sends to each service (one or more per prefix).
    static let table: [String: [String]] = [
        "intake": [
            "/api/dossiers", "/api/dossiers/H01-2026-000001", "/api/procedures", "/api/auth/me", "/api/staff",
            "/api/units", "/api/public/dossiers/H01-2026-000001", "/", "/ho-so", "/ho-so/moi", "/dang-nhap",
            "/tra-cuu", "/nop-truc-tuyen", "/danh-gia/H01-2026-000001", "/assets/motcua.css",
        ],
        "digitization": ["/api/documents", "/api/documents/7", "/api/copies", "/api/public/documents/7", "/so-hoa"],
        "payment": ["/api/payments", "/api/public/payments/3", "/api/webhooks/vnpay", "/thanh-toan"],
        "communication": [
            "/api/feedback", "/api/campaigns", "/api/surveys", "/api/public/feedback", "/phan-anh", "/truyen-thong",
        ],
        "reporting": ["/api/reports", "/api/kpi", "/api/dashboard", "/bao-cao"],
    ]

    let port: Int
    let folder: URL
    private let nginx: ChildProcess
    private let services: [HTTPServer]

    private init(port: Int, folder: URL, nginx: ChildProcess, services: [HTTPServer]) {
        self.port = port
        self.folder = folder
        self.nginx = nginx
        self.services = services
    }

    /// Starts the five servers and nginx in front of them, waiting until it answers; `intake`, when
    /// given, answers for intake instead of its stand-in; `realIPFrom`, when given, names the
    /// proxies in front of the front door (`MOTCUA_REAL_IP_FROM`).
    static func start(intake: Responder? = nil, realIPFrom: String? = nil) async throws -> FrontDoor {
        raiseOpenFileLimit()
        var services: [HTTPServer] = []
        var pairs: [String] = []
        for (name, paths) in table.sorted(by: { $0.key < $1.key }) {
            let router = Router<Void>()
            for path in paths {
                router.get(path) { request, _ in .text("\(name) \(request.requestId)") }
                router.post(path) { request, _ in .text("\(name) \(request.body.count)") }
            }
            router.post("/api/auth/login") { _, _ in .text("signed in") }
            let real = name == "intake" ? intake : nil
            // As under deploy/local/up: the front door (127.0.0.1) names the client.
            let server = HTTPServer(
                configuration: .init(port: 0, trustedProxies: TrustedProxies("127.0.0.1")!), responder: real ?? router.responder(context: { _ in () }),
                logger: Logger(service: name, level: .error, sink: LogSink.memory()), metrics: MetricsRegistry())
            try server.start()
            services.append(server)
            pairs.append("\(name)=\(server.port)")
        }
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            "motcua-front-door-\(UUID().uuidString.prefix(8))")
        let port = try freePort()
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var environment = ProcessInfo.processInfo.environment
        environment["MOTCUA_REAL_IP_FROM"] = realIPFrom
        let configure = try ChildProcess.start(
            repository.appendingPathComponent("deploy/nginx/configure"),
            [folder.path, "127.0.0.1:\(port)", "127.0.0.1"] + pairs, environment: environment)
        // Generous: a bound for a hung script, not a speed check (the whole suite starts at once).
        guard try await configure.exitStatus(within: .seconds(30)) == 0 else {
            throw ClientError(description: "configure failed: \(configure.allOutput)")
        }
        let nginx = try ChildProcess.start(
            URL(fileURLWithPath: "/usr/sbin/nginx"),
            [
                "-p", folder.path, "-e", folder.appendingPathComponent("error.log").path, "-c",
                folder.appendingPathComponent("nginx.conf").path, "-g", "daemon off;",
            ])
        let door = FrontDoor(port: port, folder: folder, nginx: nginx, services: services)
        let deadline = ContinuousClock.now + .seconds(30)
        while !TestClient.canConnect(port: port) {
            guard nginx.isRunning, ContinuousClock.now < deadline else {
                await door.stop()
                throw ClientError(description: "nginx did not start: \(nginx.allOutput)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return door
    }

    /// Stops nginx (finishing its requests) and the servers, and removes the private folder.
    func stop() async {
        nginx.signal(SIGQUIT)
        _ = try? await nginx.exitStatus(within: .seconds(5))
        for service in services { await service.shutdown(timeout: .seconds(1)) }
        try? FileManager.default.removeItem(at: folder)
    }

    /// The access log's lines (JSON).
    var accessLog: [String] {
        let text = (try? String(contentsOf: folder.appendingPathComponent("access.log"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    /// The access log once it holds a line with `fragment` (nginx writes it in batches, at least
    /// once a second), waiting up to 5 s; what it holds then otherwise.
    func accessLog(containing fragment: String) async throws -> [String] {
        let deadline = ContinuousClock.now + .seconds(5)
        while !accessLog.contains(where: { $0.contains(fragment) }) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        return accessLog
    }

    /// `GET path`, from `source` (another loopback address plays another host) when given.
    func get(_ path: String, headers: [(String, String)] = [], from source: String? = nil) async throws
        -> ClientResponse
    {
        try await TestClient.request(port: port, path: path, headers: headers, from: source)
    }

    /// Raises this process's limit of open files to its hard limit: the tests hold hundreds of
    /// slow connections while the other suites, in the same process, keep opening sockets.
    private static func raiseOpenFileLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }

    /// A port nobody listens on now (the system's choice for a socket bound to port 0).
    private static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0
            }
        }
        guard bound else { throw ClientError(description: "no free port: \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Runs `body` against a started front door and stops it afterwards.
func withFrontDoor(
    intake: Responder? = nil, realIPFrom: String? = nil, _ body: (FrontDoor) async throws -> Void
) async throws {
    let door = try await FrontDoor.start(intake: intake, realIPFrom: realIPFrom)
    do {
        try await body(door)
    } catch {
        await door.stop()
        throw error
    }
    await door.stop()
}
