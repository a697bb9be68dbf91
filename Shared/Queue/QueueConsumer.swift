import Observability
import Postgres

/// What a service runs: a consumer of some topics, type-erased so `ServiceKit` can start, stop
/// and report on a service's consumers together.
public protocol QueueConsumer: Sendable {
    /// The consumer's name, if fixed; otherwise the pool's role.
    var name: String? { get }
    /// Handles deliveries until `stop()` or cancellation.
    func run(pool: PostgresPool, metrics: MetricsRegistry, logger: Logger) async throws
    /// Asks `run` to return within the consumer's stop grace (its batches in flight finished or abandoned).
    func stop()
    /// Whether `run` is subscribed and handling (for `/readyz`).
    var isRunning: Bool { get }
}
