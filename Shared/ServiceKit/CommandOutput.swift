import Glibc

/// Where an operator command writes: the process's standard output and error, or a test's capture.
public struct CommandOutput: Sendable {
    /// Writes a line of the command's result.
    public let line: @Sendable (String) -> Void
    /// Writes a line explaining a failure or a misuse.
    public let error: @Sendable (String) -> Void

    public init(line: @escaping @Sendable (String) -> Void, error: @escaping @Sendable (String) -> Void) {
        self.line = line
        self.error = error
    }

    /// File descriptors 1 and 2.
    public static let standard = CommandOutput(
        line: { write(1, $0 + "\n") },
        error: { write(2, $0 + "\n") })

    private static func write(_ descriptor: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        _ = Glibc.write(descriptor, &bytes, bytes.count)
    }
}
