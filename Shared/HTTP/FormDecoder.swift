#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Decodes a `Decodable` from flat form fields, the way an HTML form sends them.
///
/// Nested properties are dotted names (`applicant.fullName`), an array is a repeated name
/// (`documents=cccd&documents=ho_khau`), and an empty value is an absent optional (an untouched
/// input). Numbers, booleans (`true`/`on`/`1`, `false`/`off`/`0`), `RawRepresentable` enums
/// and dates (`2025-11-24` or ISO 8601 with a time) decode from their text. Failures are
/// `DecodingError`s whose coding path names the field.
struct FormDecoder {
    func decode<T: Decodable>(_ type: T.Type, from fields: FormFields) throws -> T {
        try T(from: FieldDecoder(fields: fields, codingPath: [], element: nil))
    }
}

/// The decoder for one dotted name, or for one `element` of a repeated name.
private struct FieldDecoder: Decoder {
    let fields: FormFields
    let codingPath: [any CodingKey]
    /// The value itself, when decoding one element of an array.
    let element: String?
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    var name: String { codingPath.map(\.stringValue).joined(separator: ".") }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(KeyedFields<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        RepeatedField(decoder: self, values: fields.values(name))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleField(decoder: self) }

    /// The field's text: the element, else the first value of the dotted name.
    var text: String? { element ?? fields[name] }

    /// True for the types a field's text converts to directly.
    static func isText(_ type: Any.Type) -> Bool {
        type is any LosslessStringConvertible.Type || type == Date.self
    }

    /// `T` from the text `value` (at `codingPath`): directly for text types, else through `T`'s
    /// own `init(from:)` reading this field (a `RawRepresentable` enum, a UUID).
    func decode<T: Decodable>(_ type: T.Type, text value: String?) throws -> T {
        func missing() -> DecodingError {
            .valueNotFound(type, .init(codingPath: codingPath, debugDescription: "empty"))
        }
        func invalid() -> DecodingError {
            .dataCorrupted(.init(codingPath: codingPath, debugDescription: "not a \(type)"))
        }
        if type == String.self {
            guard let value else { throw missing() }
            return value as! T
        }
        if let parsable = type as? any LosslessStringConvertible.Type, type != Bool.self {
            guard let value, !value.isEmpty else { throw missing() }
            guard let parsed = parsable.init(value) else { throw invalid() }
            return parsed as! T
        }
        if type == Bool.self {
            guard let value, !value.isEmpty else { throw missing() }
            switch value.lowercased() {
            case "true", "on", "1": return true as! T
            case "false", "off", "0": return false as! T
            default: throw invalid()
            }
        }
        if type == Date.self {
            guard let value, !value.isEmpty else { throw missing() }
            if let date = try? Date(value, strategy: .iso8601) { return date as! T }
            if let date = try? Date(value, strategy: Date.ISO8601FormatStyle().year().month().day()) {
                return date as! T
            }
            throw invalid()
        }
        return try T(from: FieldDecoder(fields: fields, codingPath: codingPath, element: value))
    }
}

private struct KeyedFields<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: FieldDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { [] }

    private func child(_ key: Key) -> FieldDecoder {
        FieldDecoder(fields: decoder.fields, codingPath: codingPath + [key], element: nil)
    }

    func contains(_ key: Key) -> Bool { decoder.fields.mentions(child(key).name) }

    /// Absent, or present only with empty values.
    func decodeNil(forKey key: Key) throws -> Bool {
        let name = child(key).name
        return !decoder.fields.items.contains {
            ($0.name == name || $0.name.hasPrefix(name + ".")) && !$0.value.isEmpty
        }
    }

    /// A text value from its field (absent: `keyNotFound`); anything else (a nested value, an
    /// array, an enum) from the fields under the key's name.
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let child = child(key)
        guard FieldDecoder.isText(type) else { return try T(from: child) }
        guard contains(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "absent"))
        }
        return try child.decode(type, text: decoder.fields[child.name])
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try child(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try child(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> any Decoder { child(key) }
}

private struct RepeatedField: UnkeyedDecodingContainer {
    let decoder: FieldDecoder
    let values: [String]
    var currentIndex = 0
    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { values.count }
    var isAtEnd: Bool { currentIndex >= values.count }

    init(decoder: FieldDecoder, values: [String]) {
        self.decoder = decoder
        self.values = values
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, values[currentIndex].isEmpty else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, .init(codingPath: codingPath, debugDescription: "no more values"))
        }
        let element = FieldDecoder(
            fields: decoder.fields, codingPath: codingPath + [IndexKey(intValue: currentIndex)],
            element: values[currentIndex])
        let value = try element.decode(type, text: values[currentIndex])
        currentIndex += 1
        return value
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        throw DecodingError.typeMismatch(
            [String: String].self, .init(codingPath: codingPath, debugDescription: "forms repeat only plain values"))
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch(
            [String].self, .init(codingPath: codingPath, debugDescription: "forms repeat only plain values"))
    }

    mutating func superDecoder() throws -> any Decoder { decoder }
}

private struct SingleField: SingleValueDecodingContainer {
    let decoder: FieldDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.text?.isEmpty ?? true }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try decoder.decode(type, text: decoder.text)
    }
}

private struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }
    init(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
}
