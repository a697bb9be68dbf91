import Foundation

/// Checks staff tokens with intake's public key(s) and yields the principal they name; every
/// service has one, and none calls another to check a session (ARCHITECTURE §8).
public struct TokenVerifier: Sendable {
    /// The keys accepted, by id; several during a key rotation.
    private let keys: [String: VerifyingKey]
    /// Clock difference tolerated between the signer's and this service's machine.
    public let leeway: Duration

    /// `MOTCUA_TOKEN_PUBLIC_KEY_FILE`: the configuration variable naming the public key file.
    public static let publicKeyFileVariable = "MOTCUA_TOKEN_PUBLIC_KEY_FILE"

    public init(keys: [VerifyingKey], leeway: Duration = .seconds(30)) {
        self.keys = Dictionary(keys.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.leeway = leeway
    }

    /// Reads the public key(s) from the file `MOTCUA_TOKEN_PUBLIC_KEY_FILE` names.
    public static func fromEnvironment(_ environment: [String: String]) throws(ConfigError) -> TokenVerifier {
        let path = try EnvironmentReader(environment).string(publicKeyFileVariable, default: nil)
        do {
            return TokenVerifier(keys: try VerifyingKey.read(from: path))
        } catch {
            throw ConfigError(variable: publicKeyFileVariable, message: error.description)
        }
    }

    /// The principal `token` names, if it is a well-formed v4.public token signed by one of the
    /// keys, issued no later than `now` and not yet expired at `now` (both with the leeway).
    public func verify(_ token: String, now: Date) throws(TokenError) -> StaffPrincipal {
        try verify(token, now: now, allowingExpiry: .zero).principal
    }

    /// As `verify(_:now:)`, but a token expired less than `grace` ago (beyond the leeway) is
    /// accepted too, and said to be expired: for the service that keeps the sessions to renew a
    /// page's cookie whose session it checks (intake); never for a token that is altered, foreign
    /// or from the future.
    public func verify(_ token: String, now: Date, allowingExpiry grace: Duration) throws(TokenError)
        -> (principal: StaffPrincipal, expired: Bool)
    {
        let parts = try PasetoV4Public.parse(token)
        let footer = try TokenFooter.decode(parts.footer)
        guard let key = keys[footer.kid] else {
            throw TokenError(
                .wrongKey, "signed by key \(footer.kid.debugDescription), which this service does not hold")
        }
        guard PasetoV4Public.isSigned(parts, by: key) else {
            throw TokenError(.signatureInvalid, "the signature of key \(key.id) does not match")
        }
        let claims = try StaffClaims.decode(parts.message)
        let tolerance = TimeInterval(leeway.components.seconds)
        guard claims.exp > claims.iat else {
            throw TokenError(.malformed, "expires (\(claims.exp)) no later than issued (\(claims.iat))")
        }
        guard claims.iat <= now.addingTimeInterval(tolerance) else {
            throw TokenError(.notYetValid, "issued at \(claims.iat), after now (\(now)) plus \(leeway)")
        }
        let expired = now > claims.exp.addingTimeInterval(tolerance)
        guard !expired || now <= claims.exp.addingTimeInterval(tolerance + TimeInterval(grace.components.seconds))
        else {
            throw TokenError(.expired, "expired at \(claims.exp), now is \(now)")
        }
        return (claims.principal, expired)
    }
}
