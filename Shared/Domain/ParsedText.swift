/// A value written as text and read back only through its strict parser (a dossier code, a CCCD, a
/// phone number): Codable as that text, a malformed one failing to decode with the parser's message.
public protocol ParsedText: Codable {
    /// Parses `text`, throwing a `DomainError` that says what is wrong.
    init(parsing text: some StringProtocol) throws
    /// The value as written.
    var value: String { get }
}

extension ParsedText {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(parsing: text)
        } catch let error as DomainError {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
