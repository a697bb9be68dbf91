/// The decoded parameters of a request's query string (`?status=received&page=2`).
///
/// A name may repeat (`?ward=1&ward=2`); the subscript gives the first value, `values` all of them.
public struct QueryParameters: Sendable {
    private let items: [(name: String, value: String)]

    /// Parameters from already decoded name–value pairs, in order.
    public init(_ items: [(name: String, value: String)] = []) {
        self.items = items
    }

    /// The first value for `name`, or nil when the query does not mention it.
    public subscript(name: String) -> String? {
        items.first { $0.name == name }?.value
    }

    /// Every parameter as given, in order.
    var all: [(name: String, value: String)] { items }

    /// Every value given for `name`, in order.
    public func values(_ name: String) -> [String] {
        items.filter { $0.name == name }.map(\.value)
    }
}
