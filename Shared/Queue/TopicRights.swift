/// Who may publish one topic and who may read it: a row of `mq.topics`, which `mq.publish` and
/// `mq.subscribe` enforce (`QueueSchema.writeTopics` writes them).
public struct TopicRights: Codable, Sendable, Equatable {
    public let topic: String
    /// The roles allowed to publish the topic.
    public let producers: [String]
    /// The roles allowed to subscribe to it (as any of their consumers).
    public let consumers: [String]

    public init(topic: String, producers: [String], consumers: [String]) {
        self.topic = topic
        self.producers = producers
        self.consumers = consumers
    }
}
