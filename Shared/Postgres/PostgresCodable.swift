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
    // The value is not repeated: a column may hold personal data, and this message reaches logs.
    PostgresError(kind: .decoding, message: "cannot read a value of \(text.utf8.count) bytes as \(type)")
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

/// `numeric` of at most 38 significant digits, what `Decimal` holds exactly; more fails to decode
/// (`Decimal(string:)` would drop the rest without a word).
extension Decimal: PostgresCodable {
    public var postgresText: String? { description }
    public init(postgresText text: String) throws(PostgresError) {
        let digits = text.utf8.filter { (48...57).contains($0) }.drop { $0 == 48 }.reversed().drop { $0 == 48 }
        guard digits.count <= 38, let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
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
/// to the microsecond PostgreSQL keeps; years before 1 AD are written `… BC`, as PostgreSQL does.
extension Date: PostgresCodable {
    public var postgresText: String? {
        // Beyond 64-bit microseconds (about 292 000 years either way, PostgreSQL's own range), and
        // for NaN, no conversion: infinity sorts after (or before) every instant, and "NaN" is text
        // PostgreSQL refuses with an error, never a crash here.
        let micros = (timeIntervalSince1970 * 1_000_000).rounded(.down)
        guard let total = Int(exactly: micros) else {
            return micros.isNaN ? "NaN" : micros > 0 ? "infinity" : "-infinity"
        }
        var seconds = total / 1_000_000
        var fraction = total % 1_000_000
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
        // Year 0 of the proleptic Gregorian calendar is 1 BC.
        let year = date.year > 0 ? pad(date.year, 4) : pad(1 - date.year, 4)
        return "\(year)-\(pad(date.month, 2))-\(pad(date.day, 2)) "
            + "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
            + ".\(pad(fraction, 6))+00" + (date.year > 0 ? "" : " BC")
    }

    public init(postgresText text: String) throws(PostgresError) {
        // y…y-mm-dd hh:mm:ss[.ffffff]±hh[:mm[:ss]][ BC], the year of four digits or more.
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ length: Int? = nil) -> Int? {
            let start = index
            var value = 0
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57, index - start < length ?? 6 {
                value = value * 10 + Int(bytes[index] - 48)
                index += 1
            }
            return index - start == (length ?? max(4, index - start)) ? value : nil
        }
        func skip(_ character: Character) -> Bool {
            guard index < bytes.count, bytes[index] == character.asciiValue else { return false }
            index += 1
            return true
        }
        guard let year = number(), skip("-"), let month = number(2), skip("-"), let day = number(2), skip(" "),
            let hour = number(2), skip(":"), let minute = number(2), skip(":"), let second = number(2)
        else { throw decodingError(text, as: Date.self) }
        var micros = 0
        if skip(".") {
            let start = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                if index - start < 6 { micros = micros * 10 + Int(bytes[index] - 48) }
                index += 1
            }
            for _ in min(6, index - start)..<6 { micros *= 10 }
        }
        let sign = skip("+") ? 1 : skip("-") ? -1 : 0
        guard sign != 0, let offsetHours = number(2) else { throw decodingError(text, as: Date.self) }
        var offset = offsetHours * 3600
        if skip(":"), let minutes = number(2) {
            offset += minutes * 60
            if skip(":"), let seconds = number(2) { offset += seconds }
        }
        let isBC = bytes[index...].elementsEqual(" BC".utf8)
        guard index == bytes.count || isBC else { throw decodingError(text, as: Date.self) }
        // LocalDate takes years 1…9999: move the year there by whole 400-year cycles (146,097 days each).
        let astronomicalYear = isBC ? 1 - year : year
        let cycles = astronomicalYear >= 1 ? (astronomicalYear - 1) / 400 : (astronomicalYear - 400) / 400
        guard let shifted = LocalDate(year: astronomicalYear - cycles * 400, month: month, day: day) else {
            throw decodingError(text, as: Date.self)
        }
        let days = shifted.dayNumber + cycles * 146_097
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - sign * offset
        self = Date(timeIntervalSince1970: Double(seconds) + Double(micros) / 1_000_000)
    }
}

/// `bigint`, the amount in đồng.
extension Money: PostgresCodable {
    public var postgresText: String? { String(dong) }
    public init(postgresText text: String) throws(PostgresError) {
        self = Money(dong: try Int64(postgresText: text))
    }
}

/// `text`, the code as printed (`H01.40.23-260305-0007`); a malformed one fails to decode.
extension DossierCode: PostgresCodable {
    public var postgresText: String? { value }
    public init(postgresText text: String) throws(PostgresError) {
        do {
            self = try DossierCode(parsing: text)
        } catch {
            throw decodingError(text, as: DossierCode.self)
        }
    }
}

/// The domain's vocabularies, stored as their snake_case raw values (`text` with a CHECK).
extension DossierStatus: PostgresCodable {}
extension DossierChannel: PostgresCodable {}
extension ProcedureLevel: PostgresCodable {}

/// `time`, read back as `HH:mm:ss`; seconds are dropped (a cut-off is to the minute).
extension TimeOfDay: PostgresCodable {
    public var postgresText: String? { description }
    public init(postgresText text: String) throws(PostgresError) {
        guard let value = TimeOfDay(parsing: text.prefix(5)) else { throw decodingError(text, as: TimeOfDay.self) }
        self = value
    }
}

/// A `RawRepresentable` type (a `String` or integer enum) is stored as its raw value: declaring
/// `PostgresCodable` is enough. An unknown raw value fails to decode, naming the type.
extension PostgresEncodable where Self: RawRepresentable, RawValue: PostgresEncodable {
    public var postgresText: String? { rawValue.postgresText }
}

extension PostgresDecodable where Self: RawRepresentable, RawValue: PostgresDecodable {
    public init(postgresText text: String) throws(PostgresError) {
        guard let value = Self(rawValue: try RawValue(postgresText: text)) else {
            throw PostgresError(
                kind: .decoding, message: "\(text.prefix(60).debugDescription) is not a value of \(Self.self)")
        }
        self = value
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
