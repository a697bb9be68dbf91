import Domain
import Foundation

/// A Swift value that can be sent as a query parameter, in PostgreSQL's text format.
///
/// `nil` (through `Optional`) is SQL NULL. Parameters are never spliced into SQL text.
public protocol PostgresEncodable: Sendable {
    /// The value in PostgreSQL's text input format, or nil for NULL.
    var postgresText: String? { get }
}

/// A Swift value that can be read from a result column in PostgreSQL's text format.
public protocol PostgresDecodable: Sendable {
    init(postgresText text: String) throws(PostgresError)
    /// The value for SQL NULL; only `Optional` has one, every other type rejects NULL.
    static func postgresNull() throws(PostgresError) -> Self
}

extension PostgresDecodable {
    public static func postgresNull() throws(PostgresError) -> Self {
        throw PostgresError(kind: .decoding, message: "unexpected NULL for \(Self.self)")
    }
}

/// Both directions.
public typealias PostgresCodable = PostgresEncodable & PostgresDecodable

func decodingError<T>(_ text: String, as type: T.Type) -> PostgresError {
    PostgresError(kind: .decoding, message: "cannot read \(text.prefix(60).debugDescription) as \(type)")
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public var postgresText: String? { self?.postgresText }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public init(postgresText text: String) throws(PostgresError) { self = try Wrapped(postgresText: text) }
    public static func postgresNull() throws(PostgresError) -> Self { nil }
}

extension String: PostgresCodable {
    public var postgresText: String? { self }
    public init(postgresText text: String) { self = text }
}

/// Integers share one implementation through `FixedWidthInteger`.
public protocol PostgresInteger: FixedWidthInteger, PostgresCodable {}

extension PostgresInteger {
    public var postgresText: String? { String(self) }
    public init(postgresText text: String) throws(PostgresError) {
        guard let value = Self(text) else { throw decodingError(text, as: Self.self) }
        self = value
    }
}

extension Int: PostgresInteger {}
extension Int64: PostgresInteger {}
extension Int32: PostgresInteger {}
extension Int16: PostgresInteger {}

extension Bool: PostgresCodable {
    public var postgresText: String? { self ? "t" : "f" }
    public init(postgresText text: String) throws(PostgresError) {
        switch text {
        case "t", "true": self = true
        case "f", "false": self = false
        default: throw decodingError(text, as: Bool.self)
        }
    }
}

extension Double: PostgresCodable {
    public var postgresText: String? {
        if isNaN { return "NaN" }
        if isInfinite { return self > 0 ? "Infinity" : "-Infinity" }
        return String(self)
    }
    public init(postgresText text: String) throws(PostgresError) {
        switch text {
        case "NaN": self = .nan
        case "Infinity": self = .infinity
        case "-Infinity": self = -.infinity
        default:
            guard let value = Double(text) else { throw decodingError(text, as: Double.self) }
            self = value
        }
    }
}

extension Decimal: PostgresCodable {
    public var postgresText: String? { description }
    public init(postgresText text: String) throws(PostgresError) {
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
            throw decodingError(text, as: Decimal.self)
        }
        self = value
    }
}

extension UUID: PostgresCodable {
    public var postgresText: String? { uuidString.lowercased() }
    public init(postgresText text: String) throws(PostgresError) {
        guard let value = UUID(uuidString: text) else { throw decodingError(text, as: UUID.self) }
        self = value
    }
}

/// `bytea`, sent and read in hex format (`\x…`).
extension Data: PostgresCodable {
    public var postgresText: String? {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
        bytes.reserveCapacity(2 + count * 2)
        for byte in self {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 15)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    public init(postgresText text: String) throws(PostgresError) {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0, utf8.starts(with: [UInt8(ascii: "\\"), UInt8(ascii: "x")]) else {
            throw decodingError(text, as: Data.self)
        }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(utf8.count / 2 - 1)
        var index = 2
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else {
                throw decodingError(text, as: Data.self)
            }
            bytes.append(high << 4 | low)
            index += 2
        }
        self = Data(bytes)
    }
}

/// `date`.
extension LocalDate: PostgresCodable {
    public var postgresText: String? { iso }
    public init(postgresText text: String) throws(PostgresError) {
        guard let value = LocalDate(iso: text) else { throw decodingError(text, as: LocalDate.self) }
        self = value
    }
}

/// `timestamptz`, exchanged in UTC (every connection runs with `TimeZone=UTC`, `DateStyle=ISO`),
/// to the microsecond PostgreSQL keeps.
extension Date: PostgresCodable {
    public var postgresText: String? {
        let micros = (timeIntervalSince1970 * 1_000_000).rounded(.down)
        var seconds = Int(micros / 1_000_000)
        var fraction = Int(micros) - seconds * 1_000_000
        if fraction < 0 {
            fraction += 1_000_000
            seconds -= 1
        }
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let date = LocalDate(dayNumber: days)
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(date.iso) \(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
            + ".\(pad(fraction, 6))+00"
    }

    public init(postgresText text: String) throws(PostgresError) {
        // yyyy-mm-dd hh:mm:ss[.ffffff]±hh[:mm[:ss]]
        let bytes = Array(text.utf8)
        guard bytes.count >= 22, let day = LocalDate(iso: text.prefix(10)), bytes[10] == UInt8(ascii: " ") else {
            throw decodingError(text, as: Date.self)
        }
        func number(_ from: Int, _ length: Int) -> Int? {
            guard from + length <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[from..<from + length] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2) else {
            throw decodingError(text, as: Date.self)
        }
        var index = 19
        var micros = 0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                if digits < 6 { micros = micros * 10 + Int(bytes[index] - 48) }
                digits += 1
                index += 1
            }
            for _ in digits..<max(digits, 6) { micros *= 10 }
        }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"),
            let offsetHours = number(index + 1, 2)
        else { throw decodingError(text, as: Date.self) }
        let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
        var offset = offsetHours * 3600
        if index + 3 < bytes.count, bytes[index + 3] == UInt8(ascii: ":"), let minutes = number(index + 4, 2) {
            offset += minutes * 60
        }
        let seconds = day.dayNumber * 86_400 + hour * 3600 + minute * 60 + second - sign * offset
        self = Date(timeIntervalSince1970: Double(seconds) + Double(micros) / 1_000_000)
    }
}

/// A `json`/`jsonb` value mapped to a `Codable` Swift value.
public struct JSONB<Value: Codable & Sendable>: PostgresCodable {
    public var value: Value

    public init(_ value: Value) { self.value = value }

    public var postgresText: String? {
        // Encoding a Codable value that encodes can only fail for non-finite floats; NULL then
        // makes the statement fail visibly on a NOT NULL column rather than store wrong JSON.
        guard let data = try? JSONB.encoder.encode(value) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    public init(postgresText text: String) throws(PostgresError) {
        do {
            value = try JSONB.decoder.decode(Value.self, from: Data(text.utf8))
        } catch {
            throw PostgresError(kind: .decoding, message: "cannot decode JSON as \(Value.self): \(error)")
        }
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}

/// One-dimensional arrays (`bigint[]`, `text[]`, …) as parameters, so a batch is one `= ANY($1)`.
extension Array: PostgresEncodable where Element: PostgresEncodable {
    public var postgresText: String? {
        var text = "{"
        for (index, element) in enumerated() {
            if index > 0 { text += "," }
            guard let item = element.postgresText else {
                text += "NULL"
                continue
            }
            text += "\""
            for character in item {
                if character == "\"" || character == "\\" { text += "\\" }
                text.append(character)
            }
            text += "\""
        }
        return text + "}"
    }
}

/// One-dimensional arrays read back from their text form (`{1,2,3}`, `{"a b",NULL}`).
extension Array: PostgresDecodable where Element: PostgresDecodable {
    public init(postgresText text: String) throws(PostgresError) {
        let characters = Array<Character>(text)
        guard characters.first == "{", characters.last == "}" else { throw decodingError(text, as: [Element].self) }
        var elements: [Element] = []
        var index = 1
        while index < characters.count - 1 {
            var item = ""
            var quoted = false
            if characters[index] == "\"" {
                quoted = true
                index += 1
                while index < characters.count - 1, characters[index] != "\"" {
                    if characters[index] == "\\" { index += 1 }
                    item.append(characters[index])
                    index += 1
                }
                index += 1
            } else {
                while index < characters.count - 1, characters[index] != "," {
                    item.append(characters[index])
                    index += 1
                }
            }
            elements.append(!quoted && item == "NULL" ? try Element.postgresNull() : try Element(postgresText: item))
            index += 1  // the comma
        }
        self = elements
    }
}
