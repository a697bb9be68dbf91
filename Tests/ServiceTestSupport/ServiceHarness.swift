import AsyncTestSupport
import Foundation
import HTTP
import Observability
import Postgres
import PostgresTestSupport
import Queue
import ServiceKit

/// A service under test, in process and without a socket: its own database bootstrapped like
/// production with the queue and the service's schema migrated under its role, a settable clock,
/// a token key pair, and the service's responder (the code path the server runs).
///
/// ```swift
/// let harness = try await ServiceHarness.start(IntakeService())
/// defer { Task { await harness.close() } }
/// let response = await harness.request("POST", "/api/dossiers", json: receipt, as: .staff(.receptionist))
/// ```
public struct ServiceHarness<S: Service>: Sendable {
    public let service: S
    public let database: TestDatabase
    public let context: ServiceContext
    public let clock: SettableClock
    /// Signs tokens the service's verifier accepts.
    public let signer: TokenSigner
    public let responder: Responder
    /// The service's log lines (warnings and errors).
    public let log: LogSink
    /// The unit a `TestPrincipal` belongs to unless it names another.
    public let ward: String

    /// 08:00 on Thursday 5 March 2026 in Vietnam: a working day in the middle of a week.
    public static var defaultStart: Date { Date(timeIntervalSince1970: 1_772_672_400) }

    /// Starts the harness: a new database, the queue and the service's schema, its context, and its
    /// consumers subscribed. `signingKey` is the key tokens are signed with: a service that signs
    /// them itself (intake) is built with the same one.
    public static func start(
        _ service: S, ward: String = "H01.40.23", at start: Date = defaultStart, poolSize: Int = 6,
        signingKey key: SigningKey = .generate()
    ) async throws -> ServiceHarness {
        let database = try await TestDatabase.create(S.name)
        try await database.bootstrap()
        let admin = database.pool(maxConnections: 1)
        try await QueueTopics.migrate(admin)
        await admin.close()
        let pool = database.pool(as: S.name, maxConnections: poolSize)
        try await Migrator(schema: S.name, migrations: service.migrations).migrate(pool)
        let clock = SettableClock(start)
        let log = LogSink.memory()
        let configuration = try ServiceConfiguration.load(
            from: ["MOTCUA_WARD_CODE": ward, "MOTCUA_PORT": "0"], service: S.name, defaultPort: S.defaultPort)
        let context = ServiceContext(
            configuration: configuration, pool: pool, logger: Logger(service: S.name, level: .warning, sink: log),
            clock: clock, tokens: TokenVerifier(keys: [key.verifyingKey]))
        let harness = ServiceHarness(
            service: service, database: database, context: context, clock: clock, signer: TokenSigner(key: key),
            responder: service.responder(context: context), log: log, ward: ward)
        // As `serve` does at start: the consumers subscribe, so what the test publishes reaches them.
        try await harness.runConsumersUntilIdle()
        return harness
    }

    /// Closes the pool and drops the database.
    public func close() async {
        await context.pool.close()
        await database.drop()
    }

    /// A bearer token for `principal`, issued now by the harness's clock.
    public func token(for principal: TestPrincipal) -> String {
        signer.token(for: principal.principal(defaultUnit: ward), now: clock.now)
    }

    /// Sends a request through the service's responder, signed in as `principal` with a bearer
    /// token when one is given.
    public func request(
        _ method: String, _ path: String, body: [UInt8] = [], headers: HTTPHeaders = [:],
        as principal: TestPrincipal? = nil,
        remoteAddress: String = "127.0.0.1"
    ) async -> Response {
        var headers = headers
        if let principal { headers["Authorization"] = "Bearer " + token(for: principal) }
        let (path, query) = Self.split(path)
        return await responder.respond(
            to: Request(
                method: method, path: path, query: query, headers: headers, body: body,
                requestId: String(UInt64.random(in: 0...UInt64.max), radix: 16), remoteAddress: remoteAddress))
    }

    /// Sends `json` as the body of a request (see `request`).
    public func request(
        _ method: String, _ path: String, json: some Encodable, headers: HTTPHeaders = [:],
        as principal: TestPrincipal? = nil
    ) async throws -> Response {
        var headers = headers
        headers["Content-Type"] = "application/json"
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return await request(method, path, body: Array(try encoder.encode(json)), headers: headers, as: principal)
    }

    /// Runs the service's consumers until none of its deliveries is due or waiting for a retry
    /// (dead ones excepted), then stops them.
    public func runConsumersUntilIdle(within limit: Duration = .seconds(30)) async throws {
        let consumers = service.consumers(context: context)
        let logger = context.logger
        let running = consumers.map { consumer in
            Task { try await consumer.run(pool: context.pool, metrics: context.metrics, logger: logger) }
        }
        defer {
            for consumer in consumers { consumer.stop() }
        }
        try await eventually("\(S.name)'s consumers to start", within: limit) { consumers.allSatisfy(\.isRunning) }
        try await eventually("\(S.name)'s queue to be idle", within: limit) {
            let row = try await context.pool.query(
                "SELECT coalesce(sum(pending + waiting), 0)::bigint FROM mq.stats()"
            ).single()
            return try row.decode(Int64.self, at: 0) == 0
        }
        for consumer in consumers { consumer.stop() }
        for task in running { try await task.value }
    }

    private static func split(_ target: String) -> (String, QueryParameters) {
        guard let mark = target.firstIndex(of: "?") else { return (target, QueryParameters()) }
        let fields = FormFields(encoded: Array(target[target.index(after: mark)...].utf8))
        return (String(target[..<mark]), QueryParameters(fields.items.map { ($0.name, $0.value) }))
    }
}

/// A staff member for a test: roles and a unit (the harness's ward unless named), or a province.
public struct TestPrincipal: Sendable {
    public var id: String
    public var name: String
    public var roles: Set<StaffRole>
    public var unit: String?
    public var province: String?

    /// A member of a unit's staff holding `roles`.
    public static func staff(_ roles: StaffRole..., unit: String? = nil, id: String = "staff-1") -> TestPrincipal {
        TestPrincipal(id: id, name: "Cán bộ \(id)", roles: Set(roles), unit: unit, province: nil)
    }

    /// A member of province `code`'s staff holding `roles`; by default of `H01`, the province of
    /// the harness's default ward `H01.40.23`.
    public static func province(_ roles: StaffRole..., code: String = "H01", id: String = "province-1") -> TestPrincipal
    {
        TestPrincipal(id: id, name: "Cán bộ tỉnh \(id)", roles: Set(roles), unit: nil, province: code)
    }

    func principal(defaultUnit: String) -> StaffPrincipal {
        StaffPrincipal(
            id: id, name: name, roles: roles, scope: province.map { .province($0) } ?? .unit(unit ?? defaultUnit))
    }
}
