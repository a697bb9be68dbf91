import Foundation
import Postgres

extension PostgresTransaction {
    /// Publishes one event under `topic`, ordered with the other events of `key`, in this transaction.
    ///
    /// It is delivered to every consumer subscribed to `topic` if and only if this transaction
    /// commits (the outbox is the database). Returns the event's id in `mq.events`.
    @discardableResult
    public func publish<E: Encodable & Sendable>(_ topic: String, key: String, _ event: E) async throws -> Int64 {
        let rows = try await query(Self.publishSQL, [topic, key, try EventJSON.encode(event)])
        return try rows.single().decode(Int64.self, at: 0)
    }

    /// Publishes several events under `topic` in one round trip, in this transaction, in order.
    ///
    /// Each distinct key holds an advisory lock until commit (per-key order), so keep batches to
    /// hundreds of keys, not thousands: the lock table is `max_locks_per_transaction` per connection.
    @discardableResult
    public func publish<E: Encodable & Sendable>(_ topic: String, _ events: [(key: String, event: E)]) async throws
        -> [Int64]
    {
        let statements: [(String, [any PostgresEncodable])] = try events.map {
            (Self.publishSQL, [topic, $0.key, try EventJSON.encode($0.event)])
        }
        return try await pipeline(statements).map { try $0.single().decode(Int64.self, at: 0) }
    }

    private static let publishSQL = "SELECT mq.publish($1, $2, $3::jsonb)"
}

/// How event payloads are written to and read from `mq.events.payload`.
enum EventJSON {
    static func encode(_ event: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(event), as: UTF8.self)
    }

    static func decode<E: Decodable>(_ type: E.Type, from payload: String, topic: String) throws -> E {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        decoder.userInfo[.queueTopic] = topic
        return try decoder.decode(type, from: Data(payload.utf8))
    }
}
