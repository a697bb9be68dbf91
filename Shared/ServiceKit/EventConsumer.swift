import Events
import Foundation
import Observability
import Postgres
import Queue

/// Consumers typed by the event catalogue: a delivery is decoded into its `Envelope` (or, for a
/// consumer of several topics, into `AnyEvent`), and the handler's transaction is scoped to the
/// event's unit. The topics come from the types, so a misspelt topic cannot compile.
public enum EventConsumer {
    /// A transactional consumer of one topic: the handler's writes and the acknowledgement commit
    /// together.
    public static func transactional<E: Event>(
        _ type: E.Type, name: String? = nil, context: ServiceContext, options: ConsumerOptions = ConsumerOptions(),
        handler: @escaping @Sendable (Envelope<E>, ScopedTransaction) async throws -> Void
    ) -> any QueueConsumer {
        Consumer<IncomingEnvelope<E>>(
            name: name, topics: [E.topic], batchSize: options.batchSize, concurrency: options.concurrency,
            maxAttempts: options.maxAttempts, backoff: options.backoff, pollInterval: options.pollInterval,
            fromBeginning: options.fromBeginning
        ) { delivery, tx in
            let envelope = delivery.event.envelope
            try await handler(envelope, ScopedTransaction(tx, scope: .unit(envelope.wardCode), clock: context.clock))
        }
    }

    /// A transactional consumer of several topics, handed each event as an `AnyEvent` to switch over.
    public static func transactional(
        _ types: [any Event.Type], name: String? = nil, context: ServiceContext,
        options: ConsumerOptions = ConsumerOptions(),
        handler: @escaping @Sendable (AnyEvent, ScopedTransaction) async throws -> Void
    ) -> any QueueConsumer {
        Consumer<IncomingEvent>(
            name: name, topics: types.map { $0.topic }, batchSize: options.batchSize, concurrency: options.concurrency,
            maxAttempts: options.maxAttempts, backoff: options.backoff, pollInterval: options.pollInterval,
            fromBeginning: options.fromBeginning
        ) { delivery, tx in
            let event = delivery.event
            try await handler(event.event, ScopedTransaction(tx, scope: .unit(event.wardCode), clock: context.clock))
        }
    }

    /// A leased consumer of one topic, for calls outside the database (the national portal, the
    /// province centre): at-least-once, so the handler is idempotent by `envelope.eventId`.
    public static func leased<E: Event>(
        _ type: E.Type, name: String? = nil, lease: Duration, options: ConsumerOptions = ConsumerOptions(),
        handler: @escaping @Sendable (Envelope<E>) async throws -> Void
    ) -> any QueueConsumer {
        Consumer<IncomingEnvelope<E>>(
            name: name, topics: [E.topic], lease: lease, batchSize: options.batchSize, concurrency: options.concurrency,
            maxAttempts: options.maxAttempts, backoff: options.backoff, pollInterval: options.pollInterval,
            fromBeginning: options.fromBeginning
        ) { delivery in
            try await handler(delivery.event.envelope)
        }
    }
}

/// The tuning of a typed consumer; the defaults suit a service's ordinary consumer.
public struct ConsumerOptions: Sendable {
    public var batchSize = 32
    public var concurrency = 1
    public var maxAttempts = 10
    public var backoff = Backoff()
    public var pollInterval = Duration.seconds(5)
    public var fromBeginning = false

    public init() {}
}

/// A delivery of one topic decoded as its envelope; another topic, or a producer not the topic's,
/// is refused.
struct IncomingEnvelope<E: Event>: Decodable, Sendable {
    let envelope: Envelope<E>

    init(from decoder: any Decoder) throws {
        let topic = decoder.userInfo[.queueTopic] as? String ?? ""
        guard topic == E.topic else { throw EventDecodingError.unexpectedTopic(topic, expected: [E.topic]) }
        try UntrustedProducer.check(decoder, topic: topic, allowed: E.producers)
        envelope = try Envelope<E>(from: decoder)
    }
}

/// A delivery of any topic decoded into `AnyEvent`, with its unit; a producer not the topic's is
/// refused.
struct IncomingEvent: Decodable, Sendable {
    let event: AnyEvent
    let wardCode: String

    private enum CodingKeys: String, CodingKey { case wardCode }

    init(from decoder: any Decoder) throws {
        let topic = decoder.userInfo[.queueTopic] as? String ?? ""
        guard let entry = EventCatalogue.entry(topic) else { throw EventDecodingError.unknownTopic(topic) }
        try UntrustedProducer.check(decoder, topic: topic, allowed: entry.type.producers)
        event = try AnyEvent(topic: topic, from: decoder)
        wardCode = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .wardCode)
    }
}
