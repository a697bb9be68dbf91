/// Why an `HTTPServer` could not start.
public struct HTTPServerError: Error, Sendable, CustomStringConvertible {
    /// `invalid_host`, `invalid_port`, `start_failed` or `already_started`.
    public let code: String
    public let description: String

    init(code: String, _ description: String) {
        self.code = code
        self.description = description
    }
}
