import Domain
import Foundation

/// `dossier.supplement_requested`: the citizen was asked to complete the dossier (Phiếu yêu cầu bổ
/// sung, hoàn thiện hồ sơ); the deadline clock pauses until the supplement arrives.
public struct DossierSupplementRequested: Event {
    public static let topic = "dossier.supplement_requested"
    public static let version = 1
    public static let producers = ["intake"]
    public static let consumers = ["reporting"]

    public var dossierCode: DossierCode
    public var reason: CodedReason
    /// The codes of the components asked for.
    public var missingComponents: [String]
    public var requestedBy: String
    public var requestedAt: Date

    public init(
        dossierCode: DossierCode, reason: CodedReason, missingComponents: [String], requestedBy: String,
        requestedAt: Date
    ) {
        self.dossierCode = dossierCode
        self.reason = reason
        self.missingComponents = missingComponents
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
    }
}
