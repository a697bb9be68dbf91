/// Whether the sign-in session a verified staff token names still holds, checked by
/// `RequireStaff` on every staff request of the service that keeps the sessions (intake): a token
/// of a signed-out session or a disabled account is refused at once there. The other services keep
/// no session table and rely on the token's short lifetime (`TokenSigner.lifetime`, 5 minutes).
public protocol StaffSessionCheck: Sendable {
    /// Throws (a 401 problem) when `principal`'s session has ended or its account is disabled.
    func check(_ principal: StaffPrincipal, _ context: ServiceRequestContext) async throws
}
