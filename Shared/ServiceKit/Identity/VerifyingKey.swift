import CSodium

/// An Ed25519 public key that checks staff tokens; every service holds intake's (ARCHITECTURE §8).
public struct VerifyingKey: Sendable, Hashable, CustomStringConvertible {
    /// The 32 bytes of the key.
    public let bytes: [UInt8]

    /// A short name of the key carried in a token's footer, so a verifier holding several keys
    /// (during a rotation) knows which one to try. Base64url of the first 12 bytes of the key's
    /// SHA-256; our own convention, not PASERK.
    public var id: String { Base64URL.encode(Sodium.sha256(bytes).prefix(12)) }

    /// The key from its 32 bytes; nil for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == Int(crypto_sign_ed25519_PUBLICKEYBYTES) else { return nil }
        self.bytes = bytes
    }

    /// The keys in a public key file (one per line, hex or base64), for example
    /// `MOTCUA_TOKEN_PUBLIC_KEY_FILE`; several lines let a rotation accept old and new tokens.
    public static func read(from path: String) throws(KeyFileError) -> [VerifyingKey] {
        var keys: [VerifyingKey] = []
        for bytes in try KeyFile.keys(at: path, secret: false) {
            guard let key = VerifyingKey(bytes: bytes) else {
                throw KeyFileError(path: path, message: "holds \(bytes.count) bytes where an Ed25519 public key has 32")
            }
            keys.append(key)
        }
        return keys
    }

    /// The key as one line of hex, the format `keys generate` writes.
    public var hex: String { Hex.encode(bytes) }

    public var description: String { "VerifyingKey(\(id))" }

    /// Whether `signature` is this key's signature of `message`.
    func isValidSignature(_ signature: [UInt8], of message: [UInt8]) -> Bool {
        Sodium.ready()
        guard signature.count == Int(crypto_sign_ed25519_BYTES) else { return false }
        return crypto_sign_ed25519_verify_detached(signature, message, UInt64(message.count), bytes) == 0
    }
}
