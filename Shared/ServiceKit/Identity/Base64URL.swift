import Foundation

/// Base64 with the URL-safe alphabet and no padding (RFC 4648 §5), as PASETO writes tokens.
public enum Base64URL {
    /// `bytes` in the URL-safe alphabet, without padding.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The bytes of `text`, or nil when it holds anything but the URL-safe alphabet (padding and
    /// the standard alphabet's `+` `/` are refused, so one token has exactly one spelling).
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        var standard = ""
        standard.reserveCapacity(text.utf8.count + 3)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "A"..."Z", "a"..."z", "0"..."9": standard.unicodeScalars.append(scalar)
            case "-": standard += "+"
            case "_": standard += "/"
            default: return nil
            }
        }
        guard standard.utf8.count % 4 != 1 else { return nil }
        standard += String(repeating: "=", count: (4 - standard.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: standard) else { return nil }
        let bytes = [UInt8](data)
        // Unused low bits of the last character must be zero: another spelling of the same bytes
        // is not the same token.
        guard encode(bytes) == text else { return nil }
        return bytes
    }
}
