import Foundation
import HTTP

/// The signature MotCua puts on what it sends out (the national portal, the province centre), and
/// the check a receiver makes.
///
/// Scheme (version `v1`), with a shared secret key `K` of any length:
/// - `X-MotCua-Timestamp: <t>`, the sending time in whole seconds since 1970-01-01 UTC;
/// - `X-MotCua-Signature: sha256=<hex>`, the lowercase hex of HMAC-SHA256(K, `<t>` + "." + body),
///   over the exact body bytes as sent.
///
/// The timestamp is inside the signed string so a captured request cannot be replayed later than
/// the receiver's tolerance; within it, the payload's own idempotency key (an event id) makes a
/// replay harmless.
public struct WebhookSignature: Sendable {
    /// The header carrying the signature.
    public static let signatureHeader = "X-MotCua-Signature"
    /// The header carrying the signed timestamp.
    public static let timestampHeader = "X-MotCua-Timestamp"

    private let key: [UInt8]

    public init(key: [UInt8]) {
        precondition(!key.isEmpty, "a signature needs a key")
        self.key = key
    }

    /// The two header fields that sign `body` sent at `time`.
    public func headers(for body: [UInt8], at time: Date) -> HTTPHeaders {
        let timestamp = String(Int64(time.timeIntervalSince1970.rounded(.down)))
        let code = HMACSHA256.code(Array(timestamp.utf8) + [UInt8(ascii: ".")] + body, key: key)
        return [Self.timestampHeader: timestamp, Self.signatureHeader: "sha256=" + Hex.encode(code)]
    }

    /// Whether `headers` sign `body` with this key and a timestamp within `tolerance` of `now`.
    public func verifies(_ body: [UInt8], headers: HTTPHeaders, now: Date, tolerance: TimeInterval = 300) -> Bool {
        guard let timestamp = headers[Self.timestampHeader], let seconds = Int64(timestamp),
            abs(now.timeIntervalSince1970 - Double(seconds)) <= tolerance,
            let signature = headers[Self.signatureHeader], signature.hasPrefix("sha256="),
            let code = Hex.decode(signature.dropFirst("sha256=".count))
        else { return false }
        return HMACSHA256.verify(code, of: Array(timestamp.utf8) + [UInt8(ascii: ".")] + body, key: key)
    }
}
