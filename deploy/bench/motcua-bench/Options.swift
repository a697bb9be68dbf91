/// The command line after the subcommand: `--name value` pairs, each name at most once.
struct Options {
    private var values: [String: String]

    init(_ arguments: some Sequence<String>) throws {
        values = [:]
        var iterator = arguments.makeIterator()
        while let name = iterator.next() {
            guard name.hasPrefix("--"), let value = iterator.next() else {
                throw UsageError("expected --name value pairs, got \(name)")
            }
            guard values.updateValue(value, forKey: String(name.dropFirst(2))) == nil else {
                throw UsageError("\(name) given twice")
            }
        }
    }

    /// The value of `--name`, converted, or `fallback` when absent; `nil` fallback makes it required.
    mutating func take<T: LosslessStringConvertible>(_ name: String, default fallback: T? = nil) throws -> T {
        guard let text = values.removeValue(forKey: name) else {
            guard let fallback else { throw UsageError("--\(name) is required") }
            return fallback
        }
        guard let value = T(text) else { throw UsageError("--\(name) \(text) is not a valid \(T.self)") }
        return value
    }

    /// Fails on options no subcommand asked for (a typo would otherwise silently use a default).
    func finish() throws {
        if let name = values.keys.sorted().first { throw UsageError("unknown option --\(name)") }
    }
}

/// A bad command line: printed with the usage, exit status 2.
struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// How a consumer acknowledges: with its handler's writes, or after a leased, at-least-once handling.
enum Mode: String, LosslessStringConvertible, Sendable {
    case transactional, leased

    init?(_ description: String) { self.init(rawValue: description) }
    var description: String { rawValue }
}
