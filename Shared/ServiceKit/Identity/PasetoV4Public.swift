/// PASETO version 4, purpose `public` (Ed25519 signatures), as its specification defines it:
/// token = `v4.public.` ‖ base64url(message ‖ signature) [‖ `.` ‖ base64url(footer)], the signature
/// covering PAE(header, message, footer, implicit assertion).
///
/// Only the token format; what the message means (staff claims) is `TokenSigner`'s and
/// `TokenVerifier`'s business.
enum PasetoV4Public {
    static let header = "v4.public."
    static let signatureLength = 64

    /// A token's pieces, decoded but not yet trusted.
    struct Parts {
        let message: [UInt8]
        let signature: [UInt8]
        let footer: [UInt8]
    }

    /// Pre-Authentication Encoding: the number of pieces, then each piece's length and bytes, all
    /// lengths as 64-bit little-endian with the top bit cleared, so no two lists encode alike.
    static func pae(_ pieces: [[UInt8]]) -> [UInt8] {
        func le64(_ value: Int) -> [UInt8] {
            let value = UInt64(value) & 0x7FFF_FFFF_FFFF_FFFF
            return (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
        }
        var encoded = le64(pieces.count)
        for piece in pieces {
            encoded += le64(piece.count)
            encoded += piece
        }
        return encoded
    }

    /// The signed token of `message`.
    static func sign(_ message: [UInt8], with key: SigningKey, footer: [UInt8] = [], implicit: [UInt8] = []) -> String {
        let signature = key.signature(of: pae([Array(header.utf8), message, footer, implicit]))
        let token = header + Base64URL.encode(message + signature)
        return footer.isEmpty ? token : token + "." + Base64URL.encode(footer)
    }

    /// The pieces of `token`, refusing anything that is not a well-formed v4.public token.
    static func parse(_ token: String) throws(TokenError) -> Parts {
        guard token.hasPrefix(header) else {
            throw TokenError(.malformed, "not a v4.public token (header \(token.prefix(10).debugDescription))")
        }
        let rest = token.dropFirst(header.count).split(separator: ".", omittingEmptySubsequences: false)
        guard rest.count == 1 || (rest.count == 2 && !rest[1].isEmpty) else {
            throw TokenError(.malformed, "a v4.public token has a body and at most one footer")
        }
        guard let body = Base64URL.decode(rest[0]), body.count > signatureLength else {
            throw TokenError(.malformed, "the body is not base64url of a message and a 64-byte signature")
        }
        let footer: [UInt8]
        if rest.count == 2 {
            guard let decoded = Base64URL.decode(rest[1]) else {
                throw TokenError(.malformed, "the footer is not base64url")
            }
            footer = decoded
        } else {
            footer = []
        }
        return Parts(
            message: Array(body.dropLast(signatureLength)), signature: Array(body.suffix(signatureLength)),
            footer: footer)
    }

    /// Whether `parts` carry `key`'s signature over their message and footer.
    static func isSigned(_ parts: Parts, by key: VerifyingKey, implicit: [UInt8] = []) -> Bool {
        key.isValidSignature(parts.signature, of: pae([Array(header.utf8), parts.message, parts.footer, implicit]))
    }
}
