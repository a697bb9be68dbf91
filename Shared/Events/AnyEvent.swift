/// An event of any topic of the catalogue, for a consumer of several topics to `switch` over:
/// the kit decodes each delivery by its topic into the matching case.
public enum AnyEvent: Sendable, Equatable {
    case dossierReceived(Envelope<DossierReceived>)
    case dossierStatusChanged(Envelope<DossierStatusChanged>)
    case dossierSupplementRequested(Envelope<DossierSupplementRequested>)
    case dossierRefused(Envelope<DossierRefused>)
    case dossierWithdrawn(Envelope<DossierWithdrawn>)
    case dossierApologised(Envelope<DossierApologised>)
    case dossierResultReturned(Envelope<DossierResultReturned>)
    case dossierDigitized(Envelope<DossierDigitized>)
    case resultIssued(Envelope<ResultIssued>)
    case copyCertified(Envelope<CopyCertified>)
    case paymentRequested(Envelope<PaymentRequested>)
    case paymentSettled(Envelope<PaymentSettled>)
    case paymentRefunded(Envelope<PaymentRefunded>)
    case feedbackReceived(Envelope<FeedbackReceived>)
    case feedbackAnswered(Envelope<FeedbackAnswered>)
    case campaignActivityRecorded(Envelope<CampaignActivityRecorded>)
    case ratingSubmitted(Envelope<RatingSubmitted>)
    case reportPublished(Envelope<ReportPublished>)
    case unitRegistered(Envelope<UnitRegistered>)

    /// Decodes the envelope of `topic` from `decoder` into its case.
    public init(topic: String, from decoder: any Decoder) throws {
        guard let entry = EventCatalogue.entry(topic) else { throw EventDecodingError.unknownTopic(topic) }
        self = try entry.decode(decoder)
    }
}
