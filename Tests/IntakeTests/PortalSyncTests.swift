import AsyncTestSupport
import Foundation
import HTTP
import Intake
import Observability
import Postgres
import Queue
import ServiceKit
import ServiceTestSupport
import Synchronization
import Testing

/// The national-portal sync against a real local receiver that fails, times out, goes away and
/// comes back; and its configuration.
@Suite struct PortalSyncTests {
    static let key = Array("khóa bí mật của cổng quốc gia — test".utf8)

    @Test func theSyncSurvivesItsReceiverFailingAndRestarting() async throws {
        let receiver = PortalReceiver(key: Self.key, failures: 3, slowAnswers: 1)
        try receiver.start()
        let port = receiver.port
        try await withPortal(port: port, maxAttempts: 100) { harness in
            let codes = try await (0..<3).asyncMap { index in
                try await receive(harness, cccd: "00120300456\(index)")
            }
            let consumers = try await ConsumersRunning(harness)
            // Three 500s, one answer slower than the client waits (recorded, so retried as a duplicate).
            try await eventually("the receipts to reach the portal", within: .seconds(20)) {
                receiver.accepted.count == 3
            }
            try await eventually("the answer that came too late to be sent again") { receiver.duplicates >= 1 }

            // The receiver goes away while the dossiers go on: their deliveries fail and wait.
            await receiver.stop()
            for code in codes.prefix(2) {
                for (action, body) in [
                    ("start", [:]), ("complete", ["paperResult": AnyJSON.bool(true)]), ("return", [:]),
                ] {
                    let response = try await harness.request(
                        "POST", "/api/dossiers/\(code)/\(action)", json: body,
                        as: action == "return" ? receptionist : handler)
                    #expect(response.status == 200, "\(action): \(String(decoding: response.body, as: UTF8.self))")
                }
            }
            let withdrawn = try await harness.request(
                "POST", "/api/dossiers/\(codes[2])/withdraw", json: ["reason": "Công dân xin rút hồ sơ"],
                as: receptionist)
            #expect(withdrawn.status == 200)
            try await eventually("deliveries to fail against the stopped receiver", within: .seconds(20)) {
                try await harness.portalErrors().contains { $0.contains("connect_failed") }
            }

            // Back on the same port: everything pending arrives.
            try receiver.start(port: port)
            try await eventually("every change to reach the portal", within: .seconds(30)) {
                receiver.accepted.count == 8
            }
            try await consumers.stop()

            let expected = try await harness.syncedEvents()
            #expect(Set(receiver.accepted.keys) == Set(expected.map(\.eventId)))
            #expect(receiver.rejected == 0, "every request was signed and keyed by its event id")
            for code in codes.prefix(2) {
                #expect(receiver.statuses(of: code) == ["received", "completed", "returned"])
            }
            #expect(receiver.statuses(of: codes[2]) == ["received", "withdrawn"])
            let returned = try #require(receiver.arrivals.last { $0.dossierCode == codes[0] })
            #expect(returned.unitCode == harness.ward && returned.procedureCode == "1.001193")
            #expect(returned.receivedAt != nil && returned.completedAt != nil && returned.returnedAt != nil)
            #expect(returned.dueDate != nil && returned.previousStatus == "completed")
            #expect(!receiver.bodies.contains { $0.contains("Nguyễn") || $0.contains("00120300456") })
            #expect(try await harness.syncedDossiers() == Set(codes))
            #expect(try await harness.portalQueue() == (pending: 0, dead: 0))
        }
        await receiver.stop()
    }

    @Test func aReceiverThatAlwaysFailsSendsTheDeliveryDeadWithItsLastError() async throws {
        let receiver = PortalReceiver(key: Self.key, failures: .max, slowAnswers: 0)
        try receiver.start()
        // A timeout long enough that each try ends with the receiver's answer, however loaded the machine.
        try await withPortal(port: receiver.port, maxAttempts: 3, timeout: .seconds(10)) { harness in
            #expect(harness.service.consumers(context: harness.context).contains { $0.name == PortalSync.consumerName })
            #expect(
                !IntakeService().consumers(context: harness.context).contains { $0.name == PortalSync.consumerName })
            let code = try await receive(harness, cccd: "001203004567")
            try await harness.runConsumersUntilIdle()
            let dead = try await harness.context.pool.query(
                "SELECT key, attempts, last_error FROM mq.dead($1, 10)", [PortalSync.consumerName]
            ).map { try $0.decode(String.self, Int.self, String.self) }
            #expect(dead.count == 1)
            #expect(dead.first?.0 == code && dead.first?.1 == 3)
            #expect(dead.first?.2.contains("the portal answered 503: bảo trì") == true)
            #expect(try await harness.portalQueue() == (pending: 0, dead: 1))
            #expect(receiver.requests == 3)
            #expect(try await harness.syncedDossiers().isEmpty)
        }
        await receiver.stop()
    }

    @Test func itIsConfiguredFromTheEnvironmentOnly() throws {
        #expect(try PortalSync.fromEnvironment([:]) == nil)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-portal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: folder) }
        let keyFile = folder.appendingPathComponent("portal.key").path
        try "# the portal's key\n00112233445566778899aabbccddeeff\n".write(
            toFile: keyFile, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyFile)
        let url = "http://127.0.0.1:9999/api/dossiers/sync"

        let sync = try #require(
            try PortalSync.fromEnvironment([
                "MOTCUA_PORTAL_URL": url, "MOTCUA_PORTAL_SECRET_FILE": keyFile, "MOTCUA_PORTAL_TIMEOUT_SECONDS": "3",
            ]))
        #expect(sync.target.url.description == url && sync.target.timeout == .seconds(3))
        #expect(sync.options.maxAttempts == 15)

        func refusal(_ environment: [String: String]) -> String? {
            do {
                _ = try PortalSync.fromEnvironment(environment)
                return nil
            } catch {
                return error.variable
            }
        }
        #expect(refusal(["MOTCUA_PORTAL_URL": "https://dichvucong.gov.vn/"]) == "MOTCUA_PORTAL_URL")
        #expect(refusal(["MOTCUA_PORTAL_URL": url]) == "MOTCUA_PORTAL_SECRET_FILE")
        #expect(
            refusal(["MOTCUA_PORTAL_URL": url, "MOTCUA_PORTAL_SECRET_FILE": folder.appendingPathComponent("none").path])
                == "MOTCUA_PORTAL_SECRET_FILE")
        #expect(
            refusal([
                "MOTCUA_PORTAL_URL": url, "MOTCUA_PORTAL_SECRET_FILE": keyFile, "MOTCUA_PORTAL_TIMEOUT_SECONDS": "0",
            ]) == "MOTCUA_PORTAL_TIMEOUT_SECONDS")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keyFile)
        #expect(
            refusal(["MOTCUA_PORTAL_URL": url, "MOTCUA_PORTAL_SECRET_FILE": keyFile]) == "MOTCUA_PORTAL_SECRET_FILE")
    }

    /// Runs `body` with intake syncing to the receiver on `port`, with short waits and timeouts.
    private func withPortal(
        port: Int, maxAttempts: Int, timeout: Duration = .milliseconds(250),
        _ body: (ServiceHarness<IntakeService>) async throws -> Void
    ) async throws {
        var options = ConsumerOptions()
        options.maxAttempts = maxAttempts
        options.backoff = Backoff(initial: .milliseconds(20), maximum: .milliseconds(200))
        options.pollInterval = .milliseconds(200)
        var service = IntakeService()
        service.portal = PortalSync(
            target: OutboundTarget(
                url: try OutboundURL("http://127.0.0.1:\(port)/api/sync"),
                signature: WebhookSignature(key: Self.key), timeout: timeout),
            options: options)
        let harness = try await ServiceHarness.start(service)
        do {
            try await body(harness)
        } catch {
            await harness.close()
            throw error
        }
        await harness.close()
    }

    private func receive(_ harness: ServiceHarness<IntakeService>, cccd: String) async throws -> String {
        let response = try await harness.request(
            "POST", "/api/dossiers", json: receiptBody(cccd: cccd), as: receptionist)
        #expect(response.status == 201, "\(String(decoding: response.body, as: UTF8.self))")
        return try response.decoded(DossierJSON.self).code
    }
}

/// The service's consumers running in the background until `stop()`.
private struct ConsumersRunning {
    let consumers: [any QueueConsumer]
    let tasks: [Task<Void, any Error>]

    init(_ harness: ServiceHarness<IntakeService>) async throws {
        consumers = harness.service.consumers(context: harness.context)
        let context = harness.context
        tasks = consumers.map { consumer in
            Task { try await consumer.run(pool: context.pool, metrics: context.metrics, logger: context.logger) }
        }
        try await eventually("the consumers to start") { consumers.allSatisfy(\.isRunning) }
    }

    func stop() async throws {
        for consumer in consumers { consumer.stop() }
        for task in tasks { try await task.value }
    }
}

/// What the receiver reads of a delivery.
private struct Arrival: Decodable {
    let eventId: String
    let dossierCode: String
    let unitCode: String
    let procedureCode: String
    let status: String
    let previousStatus: String?
    let receivedAt: String?
    let dueDate: String?
    let completedAt: String?
    let returnedAt: String?
}

/// A portal receiver on the project's HTTP server: it checks each request's signature and
/// idempotency key, answers 503 to the first `failures` requests, records and then answers too
/// late to the next `slowAnswers`, and keeps each event once however often it arrives.
private final class PortalReceiver: Sendable {
    private struct State {
        var server: HTTPServer?
        var port = 0
        var failuresLeft: Int
        var slowLeft: Int
        var requests = 0
        var rejected = 0
        var duplicates = 0
        var accepted: [String: Arrival] = [:]
        var arrivals: [Arrival] = []
        var bodies: [String] = []
    }

    private let signature: WebhookSignature
    private let state: Mutex<State>

    init(key: [UInt8], failures: Int, slowAnswers: Int) {
        signature = WebhookSignature(key: key)
        state = Mutex(State(failuresLeft: failures, slowLeft: slowAnswers))
    }

    var port: Int { state.withLock { $0.port } }
    var requests: Int { state.withLock { $0.requests } }
    var rejected: Int { state.withLock { $0.rejected } }
    var duplicates: Int { state.withLock { $0.duplicates } }
    var accepted: [String: Arrival] { state.withLock { $0.accepted } }
    /// The first arrival of each event, in order.
    var arrivals: [Arrival] { state.withLock { $0.arrivals } }
    var bodies: [String] { state.withLock { $0.bodies } }

    func statuses(of code: String) -> [String] { arrivals.filter { $0.dossierCode == code }.map(\.status) }

    /// Listens on `port` (0: a free one, kept for a restart).
    func start(port: Int = 0) throws {
        let router = Router<Void>()
        router.post("/api/sync") { request, _ in await self.handle(request) }
        let server = HTTPServer(
            configuration: .init(port: port), responder: router.responder { _ in () },
            logger: Logger(service: "portal", level: .error, sink: .memory()), metrics: MetricsRegistry())
        try server.start()
        state.withLock {
            $0.server = server
            $0.port = server.port
        }
    }

    func stop() async {
        let server = state.withLock { state in
            defer { state.server = nil }
            return state.server
        }
        await server?.shutdown(timeout: .seconds(2))
    }

    private func handle(_ request: Request) async -> Response {
        enum Answer { case refuse, fail, record(slow: Bool) }
        let arrival = try? JSONDecoder().decode(Arrival.self, from: Data(request.body))
        let answer: Answer = state.withLock { state in
            state.requests += 1
            guard signature.verifies(request.body, headers: request.headers, now: Date()), let arrival,
                request.headers["Idempotency-Key"] == arrival.eventId
            else {
                state.rejected += 1
                return .refuse
            }
            if state.failuresLeft > 0 {
                state.failuresLeft -= 1
                return .fail
            }
            if state.accepted[arrival.eventId] == nil {
                state.accepted[arrival.eventId] = arrival
                state.arrivals.append(arrival)
                state.bodies.append(String(decoding: request.body, as: UTF8.self))
            } else {
                state.duplicates += 1
            }
            let slow = state.slowLeft > 0
            if slow { state.slowLeft -= 1 }
            return .record(slow: slow)
        }
        switch answer {
        case .refuse:
            return Response(status: 401, body: Array("chữ ký sai".utf8))
        case .fail:
            return Response(status: 503, body: Array("bảo trì".utf8))
        case .record(let slow):
            if slow { try? await Task.sleep(for: .milliseconds(600)) }
            return Response(status: 200, body: Array("{\"ok\":true}".utf8))
        }
    }
}

/// What the test reads of a `dossier.status_changed` event in the log.
private struct StatusChange: Decodable {
    let eventId: String
    let data: Change

    struct Change: Decodable {
        let dossierCode: String
        let to: String
    }
}

extension ServiceHarness<IntakeService> {
    /// The `dossier.status_changed` events the portal is to be told of: event id and dossier code.
    fileprivate func syncedEvents() async throws -> [(eventId: String, code: String)] {
        let synced = Set(PortalSync.syncedStatuses.map(\.rawValue))
        return try await events().filter { $0.topic == "dossier.status_changed" }.compactMap { event in
            let change = try JSONDecoder().decode(StatusChange.self, from: Data(event.payload.utf8))
            return synced.contains(change.data.to) ? (change.eventId.lowercased(), change.data.dossierCode) : nil
        }
    }

    /// The codes of the dossiers marked synced to the portal.
    fileprivate func syncedDossiers() async throws -> Set<String> {
        try await context.transaction(.unit(ward)) { tx in
            Set(
                try await tx.query("SELECT code FROM dossiers WHERE portal_synced_at IS NOT NULL").map {
                    try $0.decode(String.self, at: 0)
                })
        }
    }

    /// The last errors of the portal consumer's deliveries that are waiting for a retry.
    fileprivate func portalErrors() async throws -> [String] {
        let admin = database.pool(maxConnections: 1)
        defer { Task { await admin.close() } }
        return try await admin.query(
            "SELECT last_error FROM mq.deliveries WHERE consumer = $1 AND last_error IS NOT NULL",
            [PortalSync.consumerName]
        ).map { try $0.decode(String.self, at: 0) }
    }

    /// The portal consumer's line of `queue stats`: deliveries due or waiting, and dead.
    fileprivate func portalQueue() async throws -> (pending: Int64, dead: Int64) {
        let row = try await context.pool.query(
            "SELECT coalesce(sum(pending + waiting), 0)::bigint, coalesce(sum(dead), 0)::bigint FROM mq.stats() WHERE consumer = $1",
            [PortalSync.consumerName]
        ).single()
        return try row.decode(Int64.self, Int64.self)
    }
}

extension Sequence {
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async throws -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
