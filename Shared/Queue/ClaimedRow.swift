import Foundation
import Postgres

/// A claimed delivery before its payload is decoded.
struct ClaimedRow: Sendable {
    let eventID: Int64
    let topic: String
    let key: String
    let payload: String
    let attempt: Int
    let publishedAt: Date
    /// Whether a later pending delivery of the same key waits behind this one.
    let moreOfKey: Bool
    /// Its place in the consumer's line (`mq.deliveries.place`), where claims walk from.
    let place: Int64
    /// The role that published it.
    let producer: String

    init(_ row: PostgresRow) throws {
        (eventID, topic, key, payload, attempt, publishedAt, moreOfKey, place) = try row.decode(
            Int64.self, String.self, String.self, String.self, Int.self, Date.self, Bool.self, Int64.self)
        producer = try row.decode(String.self, at: 8)
    }

    func with<E: Sendable>(_ event: E) -> Delivery<E> {
        Delivery(
            eventID: eventID, topic: topic, key: key, attempt: attempt, publishedAt: publishedAt, producer: producer,
            event: event)
    }
}
