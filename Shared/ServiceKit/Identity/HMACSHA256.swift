import CSodium

/// HMAC-SHA256 (RFC 2104) with libsodium: the signature of webhooks and of outbound deliveries.
public enum HMACSHA256 {
    /// The 32-byte authentication code of `message` under `key` (a key of any length).
    public static func code(_ message: some Collection<UInt8>, key: [UInt8]) -> [UInt8] {
        Sodium.ready()
        var state = crypto_auth_hmacsha256_state()
        var digest = [UInt8](repeating: 0, count: Int(crypto_auth_hmacsha256_BYTES))
        crypto_auth_hmacsha256_init(&state, key, key.count)
        let bytes = Array(message)
        crypto_auth_hmacsha256_update(&state, bytes, UInt64(bytes.count))
        crypto_auth_hmacsha256_final(&state, &digest)
        return digest
    }

    /// Whether `code` authenticates `message` under `key`, compared in constant time.
    public static func verify(_ code: [UInt8], of message: some Collection<UInt8>, key: [UInt8]) -> Bool {
        let expected = Self.code(message, key: key)
        return code.count == expected.count && sodium_memcmp(code, expected, expected.count) == 0
    }
}
