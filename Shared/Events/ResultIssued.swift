import Domain
import Foundation

/// `result.issued`: a dossier's result document exists (KPI 9: issued electronically or not).
public struct ResultIssued: Event {
    public static let topic = "result.issued"
    public static let version = 1
    public static let producers = ["digitization"]
    public static let consumers = ["intake", "reporting"]

    public var dossierCode: DossierCode
    public var documentId: String
    public var electronic: Bool
    /// Whether it carries a verified digital signature.
    public var signed: Bool
    public var issuedAt: Date

    public init(dossierCode: DossierCode, documentId: String, electronic: Bool, signed: Bool, issuedAt: Date) {
        self.dossierCode = dossierCode
        self.documentId = documentId
        self.electronic = electronic
        self.signed = signed
        self.issuedAt = issuedAt
    }
}
