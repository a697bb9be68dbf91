import ServiceKit
import Testing

@Suite struct PasswordHashTests {
    @Test func aHashMatchesItsPasswordAndNoOther() {
        let hash = PasswordHash(hashing: "Mật-khẩu đúng 2026")
        #expect(hash.encoded.hasPrefix("$argon2id$v=19$"))
        #expect(hash.matches("Mật-khẩu đúng 2026"))
        #expect(!hash.matches("Mật-khẩu đúng 2025"))
        #expect(!hash.matches(""))
        #expect(PasswordHash(encoded: hash.encoded).matches("Mật-khẩu đúng 2026"))
    }

    @Test func theSamePasswordHashesDifferentlyEachTimeAndNeverShowsItsHash() {
        let first = PasswordHash(hashing: "x"), second = PasswordHash(hashing: "x")
        #expect(first != second)
        #expect(!"\(first)".contains(first.encoded))
        #expect(!PasswordHash(encoded: "garbage").matches("x"))
    }
}
