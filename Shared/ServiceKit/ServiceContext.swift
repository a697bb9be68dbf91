import Observability
import Postgres

/// What a running service's routes and consumers share: its configuration, database, logger,
/// metrics and clock. Tests build one with `init` (a settable clock, a test database).
public struct ServiceContext: Sendable {
    public let configuration: ServiceConfiguration
    public let pool: PostgresPool
    public let logger: Logger
    public let metrics: MetricsRegistry
    /// Business time (ARCHITECTURE: nothing calls `Date()` for it).
    public let clock: any WallClock
    /// Checks staff tokens with intake's public key (ARCHITECTURE §8).
    public let tokens: TokenVerifier
    /// The service's own check of a token's sign-in session, when it keeps sessions (intake);
    /// `Service.responder` sets it from `Service.sessionCheck`.
    public internal(set) var sessionCheck: (any StaffSessionCheck)?

    public init(
        configuration: ServiceConfiguration, pool: PostgresPool, logger: Logger,
        metrics: MetricsRegistry = MetricsRegistry(), clock: any WallClock = SystemClock(), tokens: TokenVerifier
    ) {
        self.tokens = tokens
        self.configuration = configuration
        self.pool = pool
        self.logger = logger
        self.metrics = metrics
        self.clock = clock
    }

    /// Runs `body` in a transaction scoped to `scope` (see `PostgresPool.transaction` for commit,
    /// rollback and retries).
    @discardableResult
    public func transaction<R>(
        _ scope: DataScope, isolation: IsolationLevel = .readCommitted, _ body: (ScopedTransaction) async throws -> R
    ) async throws -> R {
        try await pool.transaction(isolation) { tx in
            try await body(ScopedTransaction(tx, scope: scope, clock: clock))
        }
    }
}
