/// One component of a dossier as received (thành phần hồ sơ): an electronic document already in
/// digitization's store, or paper still to be scanned.
public struct SubmittedComponent: Codable, Sendable, Equatable {
    public var code: String
    public var name: String
    /// The document in digitization's store; nil when the citizen brought paper.
    public var documentId: String?

    public init(code: String, name: String, documentId: String?) {
        self.code = code
        self.name = name
        self.documentId = documentId
    }
}
