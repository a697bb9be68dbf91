import Foundation

/// A receiver outside the database that a service delivers to, as configured: its URL, the key
/// deliveries are signed with, and how long one delivery may take.
///
/// Read from three variables sharing a prefix (the national portal's is `MOTCUA_PORTAL`):
/// `<prefix>_URL` (an `http://` URL; unset: no delivery), `<prefix>_SECRET_FILE` (the HMAC key,
/// one line of hex or base64 in a file readable by its owner only) and `<prefix>_TIMEOUT_SECONDS`
/// (1–120, default 10).
public struct OutboundTarget: Sendable {
    public var url: OutboundURL
    public var signature: WebhookSignature
    /// The longest one delivery may take, connection to last byte.
    public var timeout: Duration

    public init(url: OutboundURL, signature: WebhookSignature, timeout: Duration = .seconds(10)) {
        self.url = url
        self.signature = signature
        self.timeout = timeout
    }

    /// The target configured under `prefix`, or nil when `<prefix>_URL` is unset; a malformed
    /// variable or an unusable key file is a `ConfigError` naming the variable.
    public static func fromEnvironment(_ environment: [String: String], prefix: String) throws(ConfigError)
        -> OutboundTarget?
    {
        let reader = EnvironmentReader(environment)
        let urlVariable = prefix + "_URL"
        let keyVariable = prefix + "_SECRET_FILE"
        let text = try reader.string(urlVariable, default: "")
        guard !text.isEmpty else { return nil }
        let url: OutboundURL
        do {
            url = try OutboundURL(text)
        } catch {
            throw ConfigError(variable: urlVariable, message: error.message)
        }
        let path = try reader.string(keyVariable, default: nil)
        let keys: [[UInt8]]
        do {
            keys = try KeyFile.keys(at: path, secret: true)
        } catch {
            throw ConfigError(variable: keyVariable, message: error.description)
        }
        guard keys.count == 1, keys[0].count >= 16 else {
            throw ConfigError(variable: keyVariable, message: "\(path) must hold one key of at least 16 bytes")
        }
        let seconds = try reader.integer(prefix + "_TIMEOUT_SECONDS", default: 10, in: 1...120)
        return OutboundTarget(url: url, signature: WebhookSignature(key: keys[0]), timeout: .seconds(seconds))
    }

    /// POSTs `body` as JSON, signed, with `Idempotency-Key: idempotencyKey`; returns the response
    /// whatever its status.
    public func post(json body: [UInt8], idempotencyKey: String, sentAt: Date = Date()) async throws
        -> OutboundResponse
    {
        var headers = signature.headers(for: body, at: sentAt)
        headers["Content-Type"] = "application/json; charset=utf-8"
        headers["Idempotency-Key"] = idempotencyKey
        headers["User-Agent"] = "motcua"
        return try await HTTPClient(timeout: timeout).send(
            OutboundRequest(method: "POST", url: url, headers: headers, body: body))
    }
}
