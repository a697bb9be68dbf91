#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The rules every text from outside obeys before a handler sees it, checked once here for path and
/// query parameters, form fields and JSON bodies: no NUL character (PostgreSQL's text cannot hold
/// one, and libpq would cut the value at it) and at most `maximumLength` characters (each field's
/// own, smaller bound is its handler's). A breach is a 422 naming every field that breaks them.
public enum TextInput {
    /// The longest text any field or parameter may hold, in characters.
    public static let maximumLength = 10_000

    /// Throws the 422 listing each of `fields` (name, value) that breaks the rules.
    public static func check(_ fields: some Sequence<(name: String, value: String)>) throws(ProblemError) {
        var errors = FieldErrors()
        for field in fields { note(field.value, field: field.name, into: &errors) }
        try errors.throwIfAny()
    }

    /// Throws the 422 listing each text of the JSON document `body` that breaks the rules, its field
    /// named by its path (`applicant.fullName`, `components[1].code`). A body too short to hold an
    /// overlong text and without an escaped NUL is passed at a glance; one that is not JSON is left
    /// to the decoder to refuse.
    public static func check(json body: [UInt8]) throws(ProblemError) {
        guard body.count > maximumLength || escapesNUL(body),
            let document = try? JSONDecoder().decode(JSONText.self, from: Data(body))
        else { return }
        var errors = FieldErrors()
        document.walk(path: "") { field, text in note(text, field: field, into: &errors) }
        try errors.throwIfAny()
    }

    private static func note(_ text: String, field: String, into errors: inout FieldErrors) {
        let name = field.isEmpty ? "body" : field
        if text.utf8.contains(0) {
            errors.add(field: name, code: "nul_character", detail: "Trường này chứa ký tự NUL (mã 0), không được phép.")
        } else if text.utf8.count > maximumLength, text.count > maximumLength {
            errors.add(field: name, code: "too_long", detail: "Trường này dài quá \(maximumLength) ký tự.")
        }
    }

    /// True when `json` holds a NUL byte or the escape `\u0000` (a false alarm on an escaped
    /// backslash before `u0000` is possible: a caller that refuses on it refuses odd text only).
    public static func escapesNUL(_ json: [UInt8]) -> Bool {
        let escape = Array("\\u0000".utf8)
        return json.contains(0) || json.indices.contains { json[$0...].starts(with: escape) }
    }
}

/// Any JSON document, read only for its texts (keys and string values).
private enum JSONText: Decodable {
    case text(String)
    case array([JSONText])
    case object([(key: String, value: JSONText)])
    case other

    init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: AnyKey.self) {
            self = .object(try object.allKeys.map { ($0.stringValue, try object.decode(JSONText.self, forKey: $0)) })
        } else if var array = try? decoder.unkeyedContainer() {
            var elements: [JSONText] = []
            while !array.isAtEnd { elements.append(try array.decode(JSONText.self)) }
            self = .array(elements)
        } else if let text = try? decoder.singleValueContainer().decode(String.self) {
            self = .text(text)
        } else {
            self = .other
        }
    }

    /// Calls `visit` with each text's field path (a key is checked as its object's own field).
    func walk(path: String, _ visit: (String, String) -> Void) {
        switch self {
        case .text(let text):
            visit(path, text)
        case .array(let elements):
            for (index, element) in elements.enumerated() { element.walk(path: "\(path)[\(index)]", visit) }
        case .object(let members):
            for (key, value) in members.sorted(by: { $0.key < $1.key }) {
                let field = path.isEmpty ? key : "\(path).\(key)"
                visit(path, key)
                value.walk(path: field, visit)
            }
        case .other:
            break
        }
    }
}

private struct AnyKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
