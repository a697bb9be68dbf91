import Domain
import Foundation

/// `dossier.received`: a dossier was received at the counter or by post, or an online submission
/// was accepted; its deadline clock runs from `receivedAt`. It carries all that digitization,
/// payment and reporting need, so none of them asks intake for more.
public struct DossierReceived: Event {
    public static let topic = "dossier.received"
    public static let version = 1
    public static let producers = ["intake"]
    public static let consumers = ["digitization", "payment", "reporting"]

    public var dossierCode: DossierCode
    public var procedure: ProcedureSummary
    public var applicant: Applicant
    public var components: [SubmittedComponent]
    public var channel: DossierChannel
    /// The staff member who filed an online dossier for a citizen at the centre, if any.
    public var assistedBy: String?
    /// The staff member who received (or accepted) it; nil for a post dossier logged by the system.
    public var receivedBy: String?
    public var receivedAt: Date
    /// The appointment date (ngày hẹn trả), in working days from `receivedAt`.
    public var dueDate: LocalDate

    public init(
        dossierCode: DossierCode, procedure: ProcedureSummary, applicant: Applicant, components: [SubmittedComponent],
        channel: DossierChannel, assistedBy: String? = nil, receivedBy: String?, receivedAt: Date, dueDate: LocalDate
    ) {
        self.dossierCode = dossierCode
        self.procedure = procedure
        self.applicant = applicant
        self.components = components
        self.channel = channel
        self.assistedBy = assistedBy
        self.receivedBy = receivedBy
        self.receivedAt = receivedAt
        self.dueDate = dueDate
    }
}
