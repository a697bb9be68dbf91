/// A cookie's `SameSite` attribute: whether the browser sends it on requests from other sites.
public enum SameSite: String, Sendable {
    /// Only on requests from this site: the choice for a session cookie behind form posts.
    case strict = "Strict"
    /// Also on top-level navigations from other sites (following a link).
    case lax = "Lax"
    /// On every request; browsers require `Secure` with it.
    case none = "None"
}
