import Foundation

/// Issues staff tokens: intake signs one at sign-in, every service verifies it with
/// `TokenVerifier` (ARCHITECTURE §8).
public struct TokenSigner: Sendable {
    public let key: SigningKey
    /// How long a token is valid: 5 minutes, because only intake knows when a session is revoked
    /// (signed out, account disabled); every other service refuses the token when it expires.
    public let lifetime: Duration

    /// `MOTCUA_TOKEN_SECRET_KEY_FILE`: the configuration variable naming the secret key file.
    public static let secretKeyFileVariable = "MOTCUA_TOKEN_SECRET_KEY_FILE"

    public init(key: SigningKey, lifetime: Duration = .seconds(5 * 60)) {
        self.key = key
        self.lifetime = lifetime
    }

    /// Reads the secret key from the file `MOTCUA_TOKEN_SECRET_KEY_FILE` names.
    public static func fromEnvironment(_ environment: [String: String]) throws(ConfigError) -> TokenSigner {
        let path = try EnvironmentReader(environment).string(secretKeyFileVariable, default: nil)
        do {
            return TokenSigner(key: try SigningKey.read(from: path))
        } catch {
            throw ConfigError(variable: secretKeyFileVariable, message: error.description)
        }
    }

    /// A token for `principal`, issued at `now` (the caller's clock, to the second) and valid for
    /// `lifetime` (whole seconds), with a random token id.
    public func token(for principal: StaffPrincipal, now: Date) -> String {
        let issuedAt = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let claims = StaffClaims(
            principal: principal, issuedAt: issuedAt,
            expiresAt: issuedAt.addingTimeInterval(TimeInterval(lifetime.components.seconds)),
            tokenID: UUID().uuidString.lowercased())
        return PasetoV4Public.sign(claims.encoded(), with: key, footer: TokenFooter(kid: key.verifyingKey.id).encoded())
    }
}
