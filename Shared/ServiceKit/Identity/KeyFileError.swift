/// A key file that cannot be used: missing, unreadable, readable by others when it holds a secret
/// key, or not holding a key; the message names the file.
public struct KeyFileError: Error, Sendable, CustomStringConvertible {
    /// The file's path as given.
    public let path: String
    /// What is wrong with it, in English for the operator's log.
    public let message: String

    public var description: String { "\(path): \(message)" }
}
