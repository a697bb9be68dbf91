import Domain
import Foundation

/// `copy.certified`: a certified copy was issued (chứng thực bản sao; KPI 11 counts the electronic ones).
public struct CopyCertified: Event {
    public static let topic = "copy.certified"
    public static let version = 1
    public static let producers = ["digitization"]
    public static let consumers = ["intake", "reporting"]

    public var dossierCode: DossierCode
    public var certificateId: String
    public var documentId: String
    public var electronic: Bool
    public var pages: Int
    public var certifiedAt: Date

    public init(
        dossierCode: DossierCode, certificateId: String, documentId: String, electronic: Bool, pages: Int,
        certifiedAt: Date
    ) {
        self.dossierCode = dossierCode
        self.certificateId = certificateId
        self.documentId = documentId
        self.electronic = electronic
        self.pages = pages
        self.certifiedAt = certifiedAt
    }
}
