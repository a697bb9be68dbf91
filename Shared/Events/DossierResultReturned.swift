import Domain
import Foundation

/// `dossier.result_returned`: the result was handed to the citizen; reporting derives early, on
/// time or late from `completedAt` against `dueDate`.
public struct DossierResultReturned: Event {
    public static let topic = "dossier.result_returned"
    public static let version = 1
    public static let producers = ["intake"]
    public static let consumers = ["reporting"]

    public var dossierCode: DossierCode
    public var procedureCode: String
    public var dueDate: LocalDate
    public var completedAt: Date
    public var returnedAt: Date
    /// The electronic result in digitization's store; nil for a paper result.
    public var resultDocumentId: String?
    /// Whether a system fault or force majeure excuses lateness (excluded from the on-time rate).
    public var delayExcluded: Bool
    public var returnedBy: String

    public init(
        dossierCode: DossierCode, procedureCode: String, dueDate: LocalDate, completedAt: Date, returnedAt: Date,
        resultDocumentId: String?, delayExcluded: Bool, returnedBy: String
    ) {
        self.dossierCode = dossierCode
        self.procedureCode = procedureCode
        self.dueDate = dueDate
        self.completedAt = completedAt
        self.returnedAt = returnedAt
        self.resultDocumentId = resultDocumentId
        self.delayExcluded = delayExcluded
        self.returnedBy = returnedBy
    }
}
