/// A fragment of HTML whose interpolated values are escaped unless marked raw.
///
/// ```swift
/// let row: HTML = "<li class=\"\(kind)\">\(applicant.name)</li>"   // kind and name escaped
/// let page: HTML = "<ul>\(rows)</ul>\(raw: trustedSVG)"              // [HTML] joined, raw kept
/// ```
/// The literal parts are trusted because only source code can write them (`StaticString`); every
/// `String` or other value interpolated is escaped (`& < > " '`), so it is safe both in text and in
/// a quoted attribute value. Markup built from data at run time goes through `HTML.raw(_:)`, which
/// is the one place to look when auditing for injection.
public struct HTML: Sendable, Equatable, ExpressibleByStringInterpolation, CustomStringConvertible {
    public typealias StringLiteralType = StaticString

    /// The markup, ready to send.
    public let rendered: String

    private init(rendered: String) {
        self.rendered = rendered
    }

    /// A fragment written in source code; nothing to escape.
    public init(stringLiteral literal: StaticString) {
        rendered = literal.description
    }

    public init(stringInterpolation: StringInterpolation) {
        rendered = stringInterpolation.rendered
    }

    /// The fragments one after another.
    public init(_ fragments: some Sequence<HTML>) {
        rendered = fragments.map(\.rendered).joined()
    }

    /// Trusted markup taken as it is, never escaped: only for text that is HTML by construction.
    public static func raw(_ trusted: String) -> HTML {
        HTML(rendered: trusted)
    }

    /// No markup at all.
    public static let empty = HTML(rendered: "")

    /// `text` with the five characters that can change the meaning of HTML replaced by references.
    public static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { Self.needsEscaping($0) }) else { return text }
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count + 16)
        for character in text.unicodeScalars {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    private static func needsEscaping(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
            || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }

    public var description: String { rendered }

    /// Builds an `HTML` value: literals as written, values escaped, fragments as they are.
    public struct StringInterpolation: StringInterpolationProtocol {
        public typealias StringLiteralType = StaticString

        fileprivate var rendered = ""

        public init(literalCapacity: Int, interpolationCount: Int) {
            rendered.reserveCapacity(literalCapacity + interpolationCount * 16)
        }

        public mutating func appendLiteral(_ literal: StaticString) {
            rendered += literal.description
        }

        /// Text, escaped.
        public mutating func appendInterpolation(_ text: String) {
            rendered += HTML.escape(text)
        }

        /// Text, escaped; nothing for nil.
        public mutating func appendInterpolation(_ text: String?) {
            if let text { appendInterpolation(text) }
        }

        /// Any other value (a number, a date's formatted text, a code) by its description, escaped.
        public mutating func appendInterpolation(_ value: some CustomStringConvertible) {
            rendered += HTML.escape(value.description)
        }

        /// A fragment, as it is.
        public mutating func appendInterpolation(_ fragment: HTML) {
            rendered += fragment.rendered
        }

        /// A fragment, or nothing for nil.
        public mutating func appendInterpolation(_ fragment: HTML?) {
            if let fragment { rendered += fragment.rendered }
        }

        /// Fragments one after another (the rows of a list or table).
        public mutating func appendInterpolation(_ fragments: [HTML]) {
            for fragment in fragments { rendered += fragment.rendered }
        }

        /// Trusted markup, never escaped.
        public mutating func appendInterpolation(raw trusted: String) {
            rendered += trusted
        }
    }
}
