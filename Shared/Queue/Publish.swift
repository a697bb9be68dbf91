import Foundation
import Postgres

extension PostgresTransaction {
    /// Publishes one event under `topic`, ordered with the other events of `key`, in this transaction.
    ///
    /// It is delivered to every consumer subscribed to `topic` if and only if this transaction
    /// commits (the outbox is the database). Returns the event's id in `mq.events`.
    @discardableResult
    public func publish<E: Encodable & Sendable>(_ topic: String, key: String, _ event: E) async throws -> Int64 {
        try await publish(topic, [(key: key, event: event)])[0]
    }

    /// Publishes several events under `topic` in one statement, in this transaction, in order.
    ///
    /// Each distinct key holds an advisory lock until commit (per-key order), so keep batches to
    /// hundreds of keys, not thousands: the lock table is `max_locks_per_transaction` per connection.
    @discardableResult
    public func publish<E: Encodable & Sendable>(_ topic: String, _ events: [(key: String, event: E)]) async throws
        -> [Int64]
    {
        guard !events.isEmpty else { return [] }
        let row = try await query(
            "SELECT event_ids, consumers FROM mq.publish($1, $2::text[], $3::jsonb[])",
            [topic, events.map(\.key), try events.map { try EventJSON.encode($0.event) }]
        ).single()
        let (ids, consumers) = try row.decode([Int64].self, [String].self)
        let wakeUps = WakeUps.sender(for: configuration)
        afterCommit { wakeUps.wake(consumers) }
        return ids
    }
}

/// How event payloads are written to and read from `mq.events.payload`.
enum EventJSON {
    static func encode(_ event: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(event), as: UTF8.self)
    }

    static func decode<E: Decodable>(_ type: E.Type, from payload: String, topic: String, producer: String) throws
        -> E
    {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        decoder.userInfo[.queueTopic] = topic
        decoder.userInfo[.queueProducer] = producer
        return try decoder.decode(type, from: Data(payload.utf8))
    }
}
