/// An event whose producer (the role that published it, as the queue recorded it) is not among
/// its topic's producers in the event catalogue: a forgery, or a catalogue the publisher and the
/// consumer disagree on. A typed consumer refuses it; the queue sends it dead at once with this as
/// its reason, since refusing it again would not change the answer.
public struct UntrustedProducer: Error, Sendable, Equatable, CustomStringConvertible {
    public let topic: String
    public let producer: String
    public let allowed: [String]

    public var description: String {
        "published by \(producer), not by a producer of \(topic) (\(allowed.joined(separator: ", ")))"
    }

    /// Throws unless the payload being decoded was published by one of `allowed`.
    static func check(_ decoder: any Decoder, topic: String, allowed: [String]) throws {
        let producer = decoder.userInfo[.queueProducer] as? String ?? ""
        guard allowed.contains(producer) else {
            throw UntrustedProducer(topic: topic, producer: producer, allowed: allowed)
        }
    }
}
