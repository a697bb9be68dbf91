/// A subcommand a service adds to its executable beside `serve`, `migrate`, `queue`, `keys` and
/// `audit`: `motcua-intake admin create …`.
public struct ServiceCommand: Sendable {
    /// The first word after the executable's name.
    public let name: String
    /// One line for `--help`, after the name: `create --username NAME --full-name NAME`.
    public let usage: String
    /// Runs with the words after the name and the process environment; returns the exit code
    /// (0 done, 1 failed, 2 bad usage).
    public let run: @Sendable (_ arguments: [String], _ environment: [String: String]) async -> Int32

    public init(
        name: String, usage: String, run: @escaping @Sendable (_ arguments: [String], _ environment: [String: String]) async -> Int32
    ) {
        self.name = name
        self.usage = usage
        self.run = run
    }
}
