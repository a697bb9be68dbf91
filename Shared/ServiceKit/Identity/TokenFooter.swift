import Foundation

/// A staff token's footer: signed but not secret, it names the key that signed the token.
struct TokenFooter: Codable, Sendable {
    var kid: String

    func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try! [UInt8](encoder.encode(self))
    }

    static func decode(_ bytes: [UInt8]) throws(TokenError) -> TokenFooter {
        guard !bytes.isEmpty else { throw TokenError(.malformed, "the token has no footer naming its key") }
        do {
            return try JSONDecoder().decode(TokenFooter.self, from: Data(bytes))
        } catch {
            throw TokenError(.malformed, "the footer does not decode: \(error)")
        }
    }
}
