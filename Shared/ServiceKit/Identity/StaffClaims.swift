import Foundation

/// The JSON a staff token signs (PASETO's registered claims where they exist: `sub`, `iat`, `exp`,
/// `jti`, times as ISO 8601 in UTC to the second), and `sid`, the sign-in session, when there is one.
struct StaffClaims: Codable, Sendable {
    var sub: String
    var name: String
    /// Role names; a name this build does not know grants nothing (a newer intake may add roles).
    var roles: [String]
    var scope: StaffPrincipal.Scope
    var iat: Date
    var exp: Date
    var jti: String
    var sid: String?

    init(principal: StaffPrincipal, issuedAt: Date, expiresAt: Date, tokenID: String) {
        sub = principal.id
        name = principal.name
        roles = principal.roles.map(\.rawValue).sorted()
        scope = principal.scope
        iat = issuedAt
        exp = expiresAt
        jti = tokenID
        sid = principal.session
    }

    var principal: StaffPrincipal {
        StaffPrincipal(
            id: sub, name: name, roles: Set(roles.compactMap(StaffRole.init(rawValue:))), scope: scope, session: sid)
    }

    func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Strings, string arrays and whole-second dates always encode.
        return try! [UInt8](encoder.encode(self))
    }

    static func decode(_ bytes: [UInt8]) throws(TokenError) -> StaffClaims {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(StaffClaims.self, from: Data(bytes))
        } catch {
            throw TokenError(.malformed, "claims do not decode: \(error)")
        }
    }
}
