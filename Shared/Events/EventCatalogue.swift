/// Every topic of ARCHITECTURE §5, once: its type and how it becomes an `AnyEvent`. The queue's
/// topic rights are written from `all`.
public enum EventCatalogue {
    /// One topic of the catalogue.
    public struct Entry: Sendable {
        public let type: any Event.Type
        let decode: @Sendable (any Decoder) throws -> AnyEvent

        public var topic: String { type.topic }

        init<E: Event>(_ type: E.Type, _ wrap: @escaping @Sendable (Envelope<E>) -> AnyEvent) {
            self.type = type
            decode = { decoder in wrap(try Envelope<E>(from: decoder)) }
        }
    }

    /// The catalogue, in ARCHITECTURE §5's order.
    public static let all: [Entry] = [
        Entry(DossierReceived.self, AnyEvent.dossierReceived),
        Entry(DossierStatusChanged.self, AnyEvent.dossierStatusChanged),
        Entry(DossierSupplementRequested.self, AnyEvent.dossierSupplementRequested),
        Entry(DossierRefused.self, AnyEvent.dossierRefused),
        Entry(DossierWithdrawn.self, AnyEvent.dossierWithdrawn),
        Entry(DossierApologised.self, AnyEvent.dossierApologised),
        Entry(DossierResultReturned.self, AnyEvent.dossierResultReturned),
        Entry(DossierDigitized.self, AnyEvent.dossierDigitized),
        Entry(ResultIssued.self, AnyEvent.resultIssued),
        Entry(CopyCertified.self, AnyEvent.copyCertified),
        Entry(PaymentRequested.self, AnyEvent.paymentRequested),
        Entry(PaymentSettled.self, AnyEvent.paymentSettled),
        Entry(PaymentRefunded.self, AnyEvent.paymentRefunded),
        Entry(FeedbackReceived.self, AnyEvent.feedbackReceived),
        Entry(FeedbackAnswered.self, AnyEvent.feedbackAnswered),
        Entry(CampaignActivityRecorded.self, AnyEvent.campaignActivityRecorded),
        Entry(RatingSubmitted.self, AnyEvent.ratingSubmitted),
        Entry(ReportPublished.self, AnyEvent.reportPublished),
        Entry(UnitRegistered.self, AnyEvent.unitRegistered),
    ]

    private static let byTopic = Dictionary(uniqueKeysWithValues: all.map { ($0.topic, $0) })

    /// The entry of `topic`, if the catalogue has it.
    public static func entry(_ topic: String) -> Entry? { byTopic[topic] }

    /// The topics `service` consumes.
    public static func topics(consumedBy service: String) -> [String] {
        all.filter { $0.type.consumers.contains(service) }.map(\.topic)
    }
}
