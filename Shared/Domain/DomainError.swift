/// A broken domain rule, as a value: a stable English `code` a client can act on and a Vietnamese
/// `message` for the person at the counter or on the public page.
///
/// Services turn it into an RFC 9457 problem (`code` → `code`, `message` → `detail`) with the status
/// that fits where it happened; Domain itself knows nothing of HTTP.
public struct DomainError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of rule was broken, which decides the answer's status at the edge.
    public enum Kind: Hashable, Sendable {
        /// The input cannot be read as the thing it should be (a malformed code or date): 400.
        case malformed
        /// The input is well-formed but breaks a rule (a CCCD whose province does not exist): 422.
        case invalid
        /// The request conflicts with the current state (an illegal transition, a duplicate): 409.
        case conflict
        /// The thing named does not exist: 404.
        case notFound
    }

    /// Machine-readable, snake_case, stable across releases (`invalid_dossier_code`).
    public let code: String
    /// Vietnamese, for people (`Mã hồ sơ … không đúng định dạng …`).
    public let message: String
    public let kind: Kind

    /// An error with a stable `code` and a Vietnamese `message`; most broken rules are `.invalid`.
    public init(code: String, message: String, kind: Kind = .invalid) {
        self.code = code
        self.message = message
        self.kind = kind
    }

    /// `code: message`, for logs and test failures.
    public var description: String { "\(code): \(message)" }
}
