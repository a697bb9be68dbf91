import CSodium
import Foundation

/// The few libsodium primitives the toolkit uses, behind one `sodium_init` that runs once per
/// process before any of them.
enum Sodium {
    private static let initialized: Bool = sodium_init() >= 0

    /// Makes sure libsodium is initialized; it cannot work without its random source.
    static func ready() {
        precondition(initialized, "libsodium could not be initialized (sodium_init failed)")
    }

    /// SHA-256 of `bytes` (`crypto_hash_sha256`).
    static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        ready()
        var digest = [UInt8](repeating: 0, count: Int(crypto_hash_sha256_BYTES))
        crypto_hash_sha256(&digest, bytes, UInt64(bytes.count))
        return digest
    }
}
