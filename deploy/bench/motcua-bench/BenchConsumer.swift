import Postgres
import Queue

/// What a bench handler does with one delivery: inside the delivery's transaction in
/// transactional mode, or on its own (no transaction, `nil`) in leased mode.
typealias BenchHandler = @Sendable (Delivery<BenchEvent>, PostgresTransaction?) async throws -> Void

/// How the bench consumes: one consumer name, one topic, one mode.
struct BenchConsumerSettings: Sendable {
    var name: String
    var topic: String
    var mode: Mode
    var batchSize: Int
    /// Leased mode only: how long a claimed delivery stays claimed.
    var lease: Duration
    var pollInterval: Duration

    /// A consumer of these settings running `handler` on each delivery.
    func consumer(_ handler: @escaping BenchHandler) -> Consumer<BenchEvent> {
        Consumer<BenchEvent>(
            topics: [topic], batchSize: batchSize, pollInterval: pollInterval, fromBeginning: true
        ) { delivery, tx in try await handler(delivery, tx) }
    }
}
