/// A reason from a coded list plus free text: refusals and supplement requests always carry one
/// (never a return without a reason).
public struct CodedReason: Codable, Sendable, Equatable {
    /// The list's code, for example `missing_component`.
    public var code: String
    /// What the staff member wrote, in Vietnamese.
    public var text: String

    public init(code: String, text: String) {
        self.code = code
        self.text = text
    }
}
