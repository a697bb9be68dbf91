import Foundation
import Testing

@testable import ServiceKit

/// PASETO v4.public itself, against the specification's test vectors.
@Suite struct PasetoV4PublicTests {
    /// Key and payload of the official vectors 4-S-1 … 4-S-3 (paragonie/paseto, docs/03-Implementation-Guide/Test-Vectors/v4.json).
    static let secretKey = Hex.decode(
        "b4cbfb43df4ce210727d953e4a713307fa19bb7d9f85041438d9e11b942a3774"
            + "1eb9dbbbbc047c03fd70604e0071f0987e16b28b757225c11f00415d0e20b1a2")!
    static let publicKey = "1eb9dbbbbc047c03fd70604e0071f0987e16b28b757225c11f00415d0e20b1a2"
    static let payload = Array(#"{"data":"this is a signed message","exp":"2022-01-01T00:00:00+00:00"}"#.utf8)
    static let footer = Array(#"{"kid":"zVhMiPBP9fRf2snEcT7gFTioeA9COcNy9DfgL1W60haN"}"#.utf8)
    static let vectors: [(name: String, footer: [UInt8], implicit: [UInt8], token: String)] = [
        (
            "4-S-1", [], [],
            "v4.public.eyJkYXRhIjoidGhpcyBpcyBhIHNpZ25lZCBtZXNzYWdlIiwiZXhwIjoiMjAyMi0wMS0wMVQwMDowMDowMCswMDowMCJ9"
                + "bg_XBBzds8lTZShVlwwKSgeKpLT3yukTw6JUz3W4h_ExsQV-P0V54zemZDcAxFaSeef1QlXEFtkqxT1ciiQEDA"
        ),
        (
            "4-S-2", footer, [],
            "v4.public.eyJkYXRhIjoidGhpcyBpcyBhIHNpZ25lZCBtZXNzYWdlIiwiZXhwIjoiMjAyMi0wMS0wMVQwMDowMDowMCswMDowMCJ9"
                + "v3Jt8mx_TdM2ceTGoqwrh4yDFn0XsHvvV_D0DtwQxVrJEBMl0F2caAdgnpKlt4p7xBnx1HcO-SPo8FPp214HDw."
                + "eyJraWQiOiJ6VmhNaVBCUDlmUmYyc25FY1Q3Z0ZUaW9lQTlDT2NOeTlEZmdMMVc2MGhhTiJ9"
        ),
        (
            "4-S-3", footer, Array(#"{"test-vector":"4-S-3"}"#.utf8),
            "v4.public.eyJkYXRhIjoidGhpcyBpcyBhIHNpZ25lZCBtZXNzYWdlIiwiZXhwIjoiMjAyMi0wMS0wMVQwMDowMDowMCswMDowMCJ9"
                + "NPWciuD3d0o5eXJXG5pJy-DiVEoyPYWs1YSTwWHNJq6DZD3je5gf-0M4JR9ipdUSJbIovzmBECeaWmaqcaP0DQ."
                + "eyJraWQiOiJ6VmhNaVBCUDlmUmYyc25FY1Q3Z0ZUaW9lQTlDT2NOeTlEZmdMMVc2MGhhTiJ9"
        ),
    ]

    @Test func signingTheSpecificationsVectorsGivesTheirTokensExactly() throws {
        let key = try #require(SigningKey(bytes: Self.secretKey))
        #expect(key.verifyingKey.hex == Self.publicKey)
        for vector in Self.vectors {
            let token = PasetoV4Public.sign(Self.payload, with: key, footer: vector.footer, implicit: vector.implicit)
            #expect(token == vector.token, "\(vector.name)")
        }
    }

    @Test func theSpecificationsVectorsVerifyAndAnotherImplicitAssertionDoesNot() throws {
        let key = try #require(VerifyingKey(bytes: Hex.decode(Self.publicKey)!))
        for vector in Self.vectors {
            let parts = try PasetoV4Public.parse(vector.token)
            #expect(parts.message == Self.payload, "\(vector.name)")
            #expect(parts.footer == vector.footer, "\(vector.name)")
            #expect(PasetoV4Public.isSigned(parts, by: key, implicit: vector.implicit), "\(vector.name)")
            #expect(!PasetoV4Public.isSigned(parts, by: key, implicit: Array("other".utf8)), "\(vector.name)")
        }
    }

    @Test func preAuthenticationEncodingCountsPiecesAndLengthsInLittleEndian() {
        #expect(Hex.encode(PasetoV4Public.pae([])) == "0000000000000000")
        #expect(Hex.encode(PasetoV4Public.pae([[]])) == "01000000000000000000000000000000")
        #expect(Hex.encode(PasetoV4Public.pae([Array("test".utf8)])) == "0100000000000000040000000000000074657374")
    }
}

/// Staff tokens: `TokenSigner` issues, `TokenVerifier` checks.
@Suite struct StaffTokenTests {
    let key = SigningKey.generate()
    let now = Date(timeIntervalSince1970: 1_795_000_000)
    let principal = StaffPrincipal(
        id: "staff-0042", name: "Nguyễn Thị Hoa", roles: [.receptionist, .handler], scope: .unit("H01.40.23"))

    var signer: TokenSigner { TokenSigner(key: key) }
    var verifier: TokenVerifier { TokenVerifier(keys: [key.verifyingKey]) }

    /// `token` with its body's bytes changed by `change`, re-encoded and otherwise intact.
    func tampered(_ token: String, _ change: (inout [UInt8]) -> Void) -> String {
        let pieces = token.dropFirst(PasetoV4Public.header.count).split(separator: ".")
        var body = Base64URL.decode(pieces[0])!
        change(&body)
        return PasetoV4Public.header + Base64URL.encode(body) + "." + pieces[1]
    }

    @Test func aSignedTokenVerifiesToTheSamePrincipal() throws {
        let token = signer.token(for: principal, now: now)
        #expect(token.hasPrefix("v4.public."))
        #expect(try verifier.verify(token, now: now) == principal)
        let province = StaffPrincipal(
            id: "p-7", name: "Trần Văn Nam", roles: [.provinceStatistician], scope: .province("89"))
        #expect(try verifier.verify(signer.token(for: province, now: now), now: now) == province)
    }

    @Test func aTokenOfASessionNamesItAndEveryServiceReadsItBack() throws {
        let signedIn = StaffPrincipal(
            id: principal.id, name: principal.name, roles: principal.roles, scope: principal.scope,
            session: "0b6c1a5e-8f0e-4a43-9d5e-3f1f8f2b7c10")
        let token = signer.token(for: signedIn, now: now)
        let claims = try JSONSerialization.jsonObject(with: Data(PasetoV4Public.parse(token).message)) as! [String: Any]
        #expect(claims["sid"] as? String == "0b6c1a5e-8f0e-4a43-9d5e-3f1f8f2b7c10")
        #expect(try verifier.verify(token, now: now).session == signedIn.session)
    }

    @Test func claimsAreLowerCamelCaseJSONWithSnakeCaseRolesAndISOTimes() throws {
        let token = signer.token(for: principal, now: now.addingTimeInterval(0.7))
        let claims = try JSONSerialization.jsonObject(with: Data(PasetoV4Public.parse(token).message)) as! [String: Any]
        #expect(Set(claims.keys) == ["sub", "name", "roles", "scope", "iat", "exp", "jti"])
        #expect(claims["sub"] as? String == "staff-0042")
        #expect(claims["roles"] as? [String] == ["handler", "receptionist"])
        #expect(claims["scope"] as? [String: String] == ["unit": "H01.40.23"])
        #expect(claims["iat"] as? String == "2026-11-18T11:06:40Z")
        #expect(claims["exp"] as? String == "2026-11-18T11:11:40Z")
        #expect(UUID(uuidString: claims["jti"] as? String ?? "") != nil)
    }

    @Test func aTokenPastItsExpiryAndTheLeewayIsRefused() throws {
        let token = signer.token(for: principal, now: now)
        #expect(try verifier.verify(token, now: now.addingTimeInterval(5 * 60 + 29)) == principal)
        let error = #expect(throws: TokenError.self) {
            try verifier.verify(token, now: now.addingTimeInterval(5 * 60 + 31))
        }
        #expect(error?.code == .expired)
        #expect(error?.code.rawValue == "token_expired")
        #expect(error?.detail == "Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.")
    }

    @Test func anExpiredTokenIsAcceptedOnlyWhenAskedAndWithinTheGraceAndSaidToBeExpired() throws {
        let token = signer.token(for: principal, now: now)
        let fresh = try verifier.verify(token, now: now.addingTimeInterval(60), allowingExpiry: .seconds(600))
        #expect(fresh.principal == principal && !fresh.expired)
        let late = now.addingTimeInterval(6 * 60)
        #expect(throws: TokenError.self) { try verifier.verify(token, now: late) }
        let renewable = try verifier.verify(token, now: late, allowingExpiry: .seconds(600))
        #expect(renewable.principal == principal && renewable.expired)
        let error = #expect(throws: TokenError.self) {
            try verifier.verify(token, now: now.addingTimeInterval(5 * 60 + 30 + 601), allowingExpiry: .seconds(600))
        }
        #expect(error?.code == .expired)
        let altered = tampered(token) { $0[$0.count - 1] ^= 0x01 }
        #expect(throws: TokenError.self) { try verifier.verify(altered, now: late, allowingExpiry: .seconds(600)) }
    }

    @Test func aTokenIssuedInTheFutureIsRefused() {
        let token = signer.token(for: principal, now: now.addingTimeInterval(120))
        let error = #expect(throws: TokenError.self) { try verifier.verify(token, now: now) }
        #expect(error?.code == .notYetValid)
    }

    @Test func anAlteredPayloadIsRefused() {
        let token = signer.token(for: principal, now: now)
        let forged = tampered(token) { body in
            let message = String(decoding: body.dropLast(64), as: UTF8.self).replacingOccurrences(
                of: "handler", with: "leader_")
            body = Array(message.utf8) + body.suffix(64)
        }
        #expect(forged != token)
        let error = #expect(throws: TokenError.self) { try verifier.verify(forged, now: now) }
        #expect(error?.code == .signatureInvalid)
    }

    @Test func anAlteredSignatureIsRefused() {
        let token = signer.token(for: principal, now: now)
        let error = #expect(throws: TokenError.self) {
            try verifier.verify(tampered(token) { $0[$0.count - 1] ^= 0x01 }, now: now)
        }
        #expect(error?.code == .signatureInvalid)
    }

    @Test func aTokenOfAnotherKeyIsRefusedAsTheWrongKey() {
        let other = TokenSigner(key: .generate()).token(for: principal, now: now)
        let error = #expect(throws: TokenError.self) { try verifier.verify(other, now: now) }
        #expect(error?.code == .wrongKey)
    }

    @Test func aTokenOfAnotherKeyClaimingOurKeysIdIsRefusedByItsSignature() {
        let otherKey = SigningKey.generate()
        let claims = StaffClaims(
            principal: principal, issuedAt: now, expiresAt: now.addingTimeInterval(900), tokenID: "x")
        let forged = PasetoV4Public.sign(
            claims.encoded(), with: otherKey, footer: TokenFooter(kid: key.verifyingKey.id).encoded())
        let error = #expect(throws: TokenError.self) { try verifier.verify(forged, now: now) }
        #expect(error?.code == .signatureInvalid)
    }

    @Test func aVerifierHoldingOldAndNewKeysAcceptsTokensOfBoth() throws {
        let newKey = SigningKey.generate()
        let rotating = TokenVerifier(keys: [key.verifyingKey, newKey.verifyingKey])
        #expect(try rotating.verify(signer.token(for: principal, now: now), now: now) == principal)
        #expect(try rotating.verify(TokenSigner(key: newKey).token(for: principal, now: now), now: now) == principal)
    }

    @Test func anotherVersionOrPurposeIsRefusedAsMalformed() {
        let token = signer.token(for: principal, now: now)
        for header in ["v3.public.", "v4.local.", "V4.PUBLIC.", "v2.public."] {
            let error = #expect(throws: TokenError.self) {
                try verifier.verify(header + token.dropFirst(PasetoV4Public.header.count), now: now)
            }
            #expect(error?.code == .malformed, "\(header)")
        }
    }

    @Test func garbageIsRefusedAsMalformed() {
        let token = signer.token(for: principal, now: now)
        let body = token.split(separator: ".")[2]
        let garbage = [
            "", "Bearer", "v4.public.", "v4.public.!!!!", "v4.public.AAAA", token + ".", token + ".e30",
            "v4.public.\(body)",  // no footer naming the key
            "v4.public.\(body).bm90IGpzb24",  // footer not JSON
            "v4.public.\(body)=.\(token.split(separator: ".")[3])",  // padding
            PasetoV4Public.sign(
                Array("not json".utf8), with: key, footer: TokenFooter(kid: key.verifyingKey.id).encoded()),
        ]
        for text in garbage {
            let error = #expect(throws: TokenError.self, "\(text)") { try verifier.verify(text, now: now) }
            #expect(error?.code == .malformed, "\(text)")
        }
    }

    @Test func aRoleThisBuildDoesNotKnowGrantsNothing() throws {
        var claims = StaffClaims(
            principal: principal, issuedAt: now, expiresAt: now.addingTimeInterval(900), tokenID: "x")
        claims.roles.append("archivist")
        let token = PasetoV4Public.sign(
            claims.encoded(), with: key, footer: TokenFooter(kid: key.verifyingKey.id).encoded())
        let verified = try verifier.verify(token, now: now)
        #expect(verified.roles == [.receptionist, .handler])
        #expect(verified.hasAny([.leader, .handler]))
        #expect(!verified.hasAny([.admin, .provinceAdmin]))
    }
}
