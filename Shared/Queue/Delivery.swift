import Foundation

/// One event handed to a consumer's handler, with what the queue knows about it.
public struct Delivery<Event: Sendable>: Sendable {
    /// The event's id in `mq.events`: a leased handler's idempotency key.
    public let eventID: Int64
    public let topic: String
    /// The ordering key (a dossier code): events of one key are handled one after another, in order.
    public let key: String
    /// The number of this try, 1 for the first.
    public let attempt: Int
    public let publishedAt: Date
    /// The role that published it (`mq.events.producer`): a typed consumer refuses an event whose
    /// producer is not its topic's.
    public let producer: String
    public let event: Event
}

extension CodingUserInfoKey {
    /// The topic of the payload being decoded, so one `Decodable` enum can serve several topics.
    public static let queueTopic = CodingUserInfoKey(rawValue: "motcua.queue.topic")!
    /// The role that published the payload being decoded, so a typed event can refuse a forgery.
    public static let queueProducer = CodingUserInfoKey(rawValue: "motcua.queue.producer")!
}

/// A payload that does not decode as the consumer's event type (an unknown version of it, or one
/// its type refuses, such as a producer not the topic's): decoding is deterministic, so the
/// delivery is dead at once, with this as its error.
public struct UndecodablePayload: Error, Sendable, CustomStringConvertible {
    public let eventID: Int64
    public let topic: String
    public let type: String
    public let reason: String

    public var description: String {
        "payload of event \(eventID) on topic \(topic) does not decode as \(type): \(reason)"
    }
}
