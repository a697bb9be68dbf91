/// Whether the sign-in session a verified staff token names still holds, checked by
/// `RequireStaff` on every staff request of the service that keeps the sessions (intake): a token
/// of a signed-out session or a disabled account is refused at once there. The other services keep
/// no session table and rely on the token's short lifetime (`TokenSigner.lifetime`, 5 minutes).
///
/// There, too, a page's session cookie whose token expired less than `renewalGrace` ago is
/// renewed while its session holds: pages have no script to call the refresh endpoint, and a
/// form typed for longer than a token lives must still post.
public protocol StaffSessionCheck: Sendable {
    /// How long after its token's expiry a session cookie is still renewed: the pages' idle limit.
    var renewalGrace: Duration { get }

    /// Throws (a 401 problem) when `principal`'s session has ended or its account is disabled.
    func check(_ principal: StaffPrincipal, _ context: ServiceRequestContext) async throws

    /// A new token for the session of `principal`, whose cookie token expired and whose session
    /// `check` found holding: the account's principal now, the token, and the cookie's `Max-Age`
    /// in seconds. Throws (a 401 problem) for a token naming no session.
    func renew(_ principal: StaffPrincipal, _ context: ServiceRequestContext) async throws
        -> (principal: StaffPrincipal, token: String, cookieMaxAge: Int)
}
