/// The free text that goes with every reason (a refusal, a supplement request, a withdrawal, an apology, a delay's
/// cause): what the coded reason cannot say, printed on the form and sent to the citizen, so never empty.
///
/// Leading and trailing whitespace is dropped; the rest is kept as written. Codable as a plain string, checked.
public struct ReasonText: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The text, trimmed.
    public let value: String

    /// The longest text accepted, in characters: a form's paragraph, not a document.
    public static let maximumLength = 1000

    /// The trimmed text; throws `reason_text_required` when nothing is left and `reason_text_too_long` beyond
    /// `maximumLength` characters (both .invalid).
    public init(_ text: some StringProtocol) throws {
        var trimmed = Substring(text).drop(while: \.isWhitespace)
        while trimmed.last?.isWhitespace == true { trimmed = trimmed.dropLast() }
        guard !trimmed.isEmpty else {
            throw DomainError(
                code: "reason_text_required", message: "Cần ghi rõ lý do cụ thể; không được để trống.")
        }
        guard trimmed.count <= Self.maximumLength else {
            throw DomainError(
                code: "reason_text_too_long",
                message: "Lý do dài \(trimmed.count) ký tự, vượt quá \(Self.maximumLength) ký tự cho phép.")
        }
        value = String(trimmed)
    }

    /// The text.
    public var description: String { value }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(text)
        } catch let error as DomainError {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
