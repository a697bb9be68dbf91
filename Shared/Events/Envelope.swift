import Foundation

/// What travels on the queue for every event: its id, when it happened, the unit it belongs to and
/// the version of its payload, around the payload itself (`data`).
public struct Envelope<Payload: Event>: Codable, Sendable, Equatable {
    /// Unique per event; a leased handler's idempotency key and the audit trail's reference.
    public let eventId: UUID
    /// When the change happened, by the producer's clock.
    public let occurredAt: Date
    /// The unit (ward or commune code) whose data the event is about (ARCHITECTURE §6).
    public let wardCode: String
    /// The payload's version when it was published.
    public let version: Int
    public let data: Payload

    /// An envelope of the current version of `Payload`.
    public init(eventId: UUID, occurredAt: Date, wardCode: String, data: Payload) {
        self.eventId = eventId
        self.occurredAt = occurredAt
        self.wardCode = wardCode
        self.version = Payload.version
        self.data = data
    }

    private enum CodingKeys: String, CodingKey {
        case eventId, occurredAt, wardCode, version, data
    }

    /// Refuses an envelope whose version is not `Payload.version` before reading its payload.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(Int.self, forKey: .version)
        guard version == Payload.version else {
            throw EventDecodingError.unknownVersion(topic: Payload.topic, version: version, supported: Payload.version)
        }
        eventId = try container.decode(UUID.self, forKey: .eventId)
        occurredAt = try container.decode(Date.self, forKey: .occurredAt)
        wardCode = try container.decode(String.self, forKey: .wardCode)
        data = try container.decode(Payload.self, forKey: .data)
    }
}
