import CSodium

/// An Ed25519 secret key that signs staff tokens; only intake holds one (ARCHITECTURE §8).
///
/// Kept in libsodium's 64-byte form (seed ‖ public key). Its description never shows the secret.
public struct SigningKey: Sendable, CustomStringConvertible {
    private let secret: [UInt8]
    /// The public half, which every service verifies with.
    public let verifyingKey: VerifyingKey

    /// A new random key pair.
    public static func generate() -> SigningKey {
        Sodium.ready()
        var publicKey = [UInt8](repeating: 0, count: Int(crypto_sign_ed25519_PUBLICKEYBYTES))
        var secret = [UInt8](repeating: 0, count: Int(crypto_sign_ed25519_SECRETKEYBYTES))
        crypto_sign_ed25519_keypair(&publicKey, &secret)
        return SigningKey(secret: secret, publicKey: publicKey)
    }

    /// The key from its 32-byte seed or its 64-byte secret key (seed ‖ public key); nil for any
    /// other length, or when the 64 bytes' public half is not the seed's.
    public init?(bytes: [UInt8]) {
        guard
            bytes.count == Int(crypto_sign_ed25519_SEEDBYTES) || bytes.count == Int(crypto_sign_ed25519_SECRETKEYBYTES)
        else { return nil }
        Sodium.ready()
        var publicKey = [UInt8](repeating: 0, count: Int(crypto_sign_ed25519_PUBLICKEYBYTES))
        var secret = [UInt8](repeating: 0, count: Int(crypto_sign_ed25519_SECRETKEYBYTES))
        crypto_sign_ed25519_seed_keypair(&publicKey, &secret, Array(bytes.prefix(Int(crypto_sign_ed25519_SEEDBYTES))))
        if bytes.count == secret.count, bytes != secret { return nil }
        self.init(secret: secret, publicKey: publicKey)
    }

    private init(secret: [UInt8], publicKey: [UInt8]) {
        self.secret = secret
        verifyingKey = VerifyingKey(bytes: publicKey)!
    }

    /// The key in a secret key file (one line, hex or base64), for example
    /// `MOTCUA_TOKEN_SECRET_KEY_FILE`; the file must be readable by its owner only.
    public static func read(from path: String) throws(KeyFileError) -> SigningKey {
        let keys = try KeyFile.keys(at: path, secret: true)
        guard keys.count == 1 else {
            throw KeyFileError(path: path, message: "holds \(keys.count) keys where one is expected")
        }
        guard let key = SigningKey(bytes: keys[0]) else {
            throw KeyFileError(
                path: path,
                message:
                    "holds \(keys[0].count) bytes that are not an Ed25519 secret key (a 32-byte seed or 64 bytes: seed and public key)"
            )
        }
        return key
    }

    /// The secret key as one line of hex (64 bytes), the format `keys generate` writes.
    var hex: String { Hex.encode(secret) }

    public var description: String { "SigningKey(\(verifyingKey.id))" }

    /// The Ed25519 signature of `message`.
    func signature(of message: [UInt8]) -> [UInt8] {
        Sodium.ready()
        var signature = [UInt8](repeating: 0, count: Int(crypto_sign_ed25519_BYTES))
        crypto_sign_ed25519_detached(&signature, nil, message, UInt64(message.count), secret)
        return signature
    }
}
