/// The fields of an `application/x-www-form-urlencoded` body (an HTML form post), in order.
///
/// A name may repeat (checkboxes, multi-selects): the subscript gives the first value, `values`
/// all of them.
public struct FormFields: Sendable, Equatable {
    /// Every field as sent, decoded.
    public let items: [Item]

    /// One name–value pair.
    public struct Item: Sendable, Equatable {
        public let name: String
        public let value: String
    }

    /// Fields from already decoded name–value pairs.
    public init(_ items: [(name: String, value: String)]) {
        self.items = items.map { Item(name: $0.name, value: $0.value) }
    }

    /// The fields of an encoded body: `a=1&b=Nguy%E1%BB%85n+V%C4%83n`.
    public init(encoded body: [UInt8]) {
        let text = String(decoding: body, as: UTF8.self)
        items = text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return Item(
                name: PercentDecoding.decode(parts[0], plusIsSpace: true),
                value: parts.count > 1 ? PercentDecoding.decode(parts[1], plusIsSpace: true) : "")
        }
    }

    /// The first value for `name`, or nil when the form does not have it.
    public subscript(name: String) -> String? {
        items.first { $0.name == name }?.value
    }

    /// Every value for `name`, in order.
    public func values(_ name: String) -> [String] {
        items.filter { $0.name == name }.map(\.value)
    }

    /// True when a field is named `name` or starts with `name.` (a nested value's fields).
    func mentions(_ name: String) -> Bool {
        items.contains { $0.name == name || $0.name.hasPrefix(name + ".") }
    }
}
