/// Why a queued payload could not become a typed event. Decoding is deterministic, so the queue
/// sends such a delivery dead at once instead of retrying it.
public enum EventDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The topic is not in the catalogue.
    case unknownTopic(String)
    /// The envelope's version is not the one this build reads.
    case unknownVersion(topic: String, version: Int, supported: Int)
    /// A topic the consumer did not ask for (its subscription and its types disagree).
    case unexpectedTopic(String, expected: [String])

    public var description: String {
        switch self {
        case .unknownTopic(let topic):
            "topic '\(topic)' is not in the event catalogue"
        case .unknownVersion(let topic, let version, let supported):
            "\(topic) version \(version) is not supported (this build reads version \(supported))"
        case .unexpectedTopic(let topic, let expected):
            "topic '\(topic)' is not one of \(expected.joined(separator: ", "))"
        }
    }
}
