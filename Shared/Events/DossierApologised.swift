import Domain
import Foundation

/// `dossier.apologised`: a late dossier's apology with its new date (Phiếu xin lỗi và hẹn lại ngày
/// trả kết quả; KPI 16).
public struct DossierApologised: Event {
    public static let topic = "dossier.apologised"
    public static let version = 1
    public static let producers = ["intake"]
    public static let consumers = ["reporting"]

    public var dossierCode: DossierCode
    public var reason: String
    public var previousDueDate: LocalDate
    public var newDueDate: LocalDate
    public var apologisedBy: String
    public var apologisedAt: Date

    public init(
        dossierCode: DossierCode, reason: String, previousDueDate: LocalDate, newDueDate: LocalDate,
        apologisedBy: String, apologisedAt: Date
    ) {
        self.dossierCode = dossierCode
        self.reason = reason
        self.previousDueDate = previousDueDate
        self.newDueDate = newDueDate
        self.apologisedBy = apologisedBy
        self.apologisedAt = apologisedAt
    }
}
