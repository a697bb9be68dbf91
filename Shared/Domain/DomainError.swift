/// A broken domain rule, as a value: a stable English `code` a client can act on and a Vietnamese
/// `message` for the person at the counter or on the public page.
///
/// Services turn it into an RFC 9457 problem (`code` → `code`, `message` → `detail`) with the status
/// that fits where it happened; Domain itself knows nothing of HTTP.
public struct DomainError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Machine-readable, snake_case, stable across releases (`invalid_dossier_code`).
    public let code: String
    /// Vietnamese, for people (`Mã hồ sơ … không đúng định dạng …`).
    public let message: String

    /// An error with a stable `code` and a Vietnamese `message`.
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`, for logs and test failures.
    public var description: String { "\(code): \(message)" }
}
