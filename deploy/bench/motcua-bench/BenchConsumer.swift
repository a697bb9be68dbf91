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
    /// It subscribes from the beginning: events published before its first start count too.
    func consumer(_ handler: @escaping BenchHandler) -> Consumer<BenchEvent> {
        switch mode {
        case .transactional:
            Consumer<BenchEvent>(
                name: name, topics: [topic], batchSize: batchSize, pollInterval: pollInterval, fromBeginning: true
            ) { delivery, tx in try await handler(delivery, tx) }
        case .leased:
            Consumer<BenchEvent>(
                name: name, topics: [topic], lease: lease, batchSize: batchSize, pollInterval: pollInterval,
                fromBeginning: true
            ) { delivery in try await handler(delivery, nil) }
        }
    }
}
