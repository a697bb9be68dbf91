import Events
import Postgres
import Queue

/// The queue's topic rights, written from the event catalogue (ARCHITECTURE §5), its single
/// source: `mq.publish` lets only a topic's producers publish it, `mq.subscribe` only its
/// consumers read it.
public enum QueueTopics {
    /// Each catalogue topic with the roles that may publish and read it.
    public static var rights: [TopicRights] {
        EventCatalogue.all.map {
            TopicRights(topic: $0.topic, producers: $0.type.producers, consumers: $0.type.consumers)
        }
    }

    /// Applies the queue's pending migrations and writes the catalogue's rights, through a
    /// superuser pool (`motcua-<service> queue migrate`, deploy, tests). Returns the migrations applied.
    @discardableResult
    public static func migrate(_ pool: PostgresPool) async throws -> [Int] {
        let applied = try await QueueSchema.migrate(pool)
        try await QueueSchema.writeTopics(rights, pool)
        return applied
    }
}
