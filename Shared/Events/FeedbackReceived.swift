import Domain
import Foundation

/// `feedback.received`: a citizen's feedback (phản ánh, kiến nghị; NĐ 20/2008), due for an answer
/// within 5 working days (KPI 13).
public struct FeedbackReceived: Event {
    public static let topic = "feedback.received"
    public static let version = 1
    public static let producers = ["communication"]
    public static let consumers = ["reporting"]

    public var feedbackId: String
    /// Where it came from: `counter`, `online`, `hotline`, `post`, `survey`.
    public var channel: String
    public var category: String
    /// The dossier it is about, if any.
    public var dossierCode: DossierCode?
    public var receivedAt: Date
    public var dueDate: LocalDate

    public init(
        feedbackId: String, channel: String, category: String, dossierCode: DossierCode?, receivedAt: Date,
        dueDate: LocalDate
    ) {
        self.feedbackId = feedbackId
        self.channel = channel
        self.category = category
        self.dossierCode = dossierCode
        self.receivedAt = receivedAt
        self.dueDate = dueDate
    }
}
