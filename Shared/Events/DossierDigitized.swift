import Domain
import Foundation

/// `dossier.digitized`: every component of a dossier is in the document store (số hóa hồ sơ; KPI 6),
/// with which ones reused the citizen's stored data (KPI 7).
public struct DossierDigitized: Event {
    public static let topic = "dossier.digitized"
    public static let version = 1
    public static let producers = ["digitization"]
    public static let consumers = ["intake", "reporting"]

    /// One component's document.
    public struct Component: Codable, Sendable, Equatable {
        public var code: String
        public var documentId: String
        /// Taken from the citizen's stored data instead of scanned again.
        public var reused: Bool

        public init(code: String, documentId: String, reused: Bool) {
            self.code = code
            self.documentId = documentId
            self.reused = reused
        }
    }

    public var dossierCode: DossierCode
    public var components: [Component]
    public var digitizedAt: Date

    public init(dossierCode: DossierCode, components: [Component], digitizedAt: Date) {
        self.dossierCode = dossierCode
        self.components = components
        self.digitizedAt = digitizedAt
    }
}
