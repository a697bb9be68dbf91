/// Why an outbound HTTP exchange failed before a response was read; `code` is stable for logs and
/// tests (`invalid_url`, `https_unsupported`, `invalid_header`, `resolve_failed`, `connect_failed`,
/// `send_failed`, `receive_failed`, `timeout`, `cancelled`, `malformed_response`,
/// `response_too_large`), `message` says what happened in English for the operator.
public struct OutboundError: Error, Sendable, CustomStringConvertible {
    public let code: String
    public let message: String

    public init(code: String, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
