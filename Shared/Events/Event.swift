/// The payload of one topic of the event catalogue (ARCHITECTURE §5): plain data, versioned.
///
/// The static members are the contract: the topic's name, the payload's version, who may publish
/// it and which services consume it. The queue's topic rights and the typed publish and consumer
/// read them from here, so a topic is never spelt twice.
public protocol Event: Codable, Sendable, Equatable {
    /// The topic, for example `dossier.received`.
    static var topic: String { get }
    /// The payload's version; a consumer refuses an envelope of another version.
    static var version: Int { get }
    /// The services allowed to publish the topic (their role names).
    static var producers: [String] { get }
    /// The services that subscribe to the topic (their role names).
    static var consumers: [String] { get }
}
