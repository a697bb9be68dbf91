/// Why a staff token was refused: a stable code a client can act on, a Vietnamese detail for
/// people, and an English reason for the log.
public struct TokenError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The stable codes, sent as the problem's `code`.
    public enum Code: String, Sendable {
        /// Not a token this system writes: wrong header, bad base64, claims that do not decode.
        case malformed = "token_malformed"
        /// Signed by a key this service knows, but the signature does not match the content.
        case signatureInvalid = "token_signature_invalid"
        /// Past its expiry (with the verifier's leeway).
        case expired = "token_expired"
        /// Names a key this service does not hold: another deployment's, or a retired one.
        case wrongKey = "token_wrong_key"
        /// Issued in the future beyond the leeway: a clock is wrong.
        case notYetValid = "token_not_yet_valid"
    }

    public let code: Code
    /// What exactly was wrong, for the log (never shown to the caller).
    public let reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    /// The message shown to people.
    public var detail: String {
        switch code {
        case .malformed: "Mã đăng nhập không hợp lệ. Vui lòng đăng nhập lại."
        case .signatureInvalid: "Chữ ký của mã đăng nhập không đúng. Vui lòng đăng nhập lại."
        case .expired: "Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại."
        case .wrongKey: "Mã đăng nhập không do hệ thống này cấp. Vui lòng đăng nhập lại."
        case .notYetValid: "Mã đăng nhập chưa có hiệu lực; đồng hồ máy chủ có thể bị lệch."
        }
    }

    public var description: String { "\(code.rawValue): \(reason)" }
}
