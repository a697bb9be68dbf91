import Foundation
import Postgres
import ServiceKit

/// The SQL of staff accounts and their refresh sessions. Every function runs in the caller's
/// scoped transaction: reads see the scope's units, writes go into the account's own unit (the
/// caller opens the transaction writing in `account.home.unitCode`).
enum StaffStore {
    /// The account signed in as `username`, in any unit the scope reads.
    static func account(username: String, in tx: ScopedTransaction) async throws -> StaffAccount? {
        try await tx.query("SELECT \(StaffAccount.columns) FROM staff WHERE username = $1", [username])
            .first.map(StaffAccount.init(row:))
    }

    /// The account with `id`, locked for update when `lock`.
    static func account(id: UUID, lock: Bool = false, in tx: ScopedTransaction) async throws -> StaffAccount? {
        let sql = "SELECT \(StaffAccount.columns) FROM staff WHERE id = $1" + (lock ? " FOR UPDATE" : "")
        return try await tx.query(sql, [id]).first.map(StaffAccount.init(row:))
    }

    /// A new account in the scope's unit; nil when the username is taken (in any unit).
    static func insert(
        username: String, fullName: String, roles: Set<StaffRole>, passwordHash: PasswordHash, now: Date,
        in tx: ScopedTransaction
    ) async throws -> StaffAccount? {
        try await tx.query(
            """
            INSERT INTO staff (id, unit_code, username, full_name, roles, password_hash, password_changed_at, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
            ON CONFLICT (username) DO NOTHING
            RETURNING \(StaffAccount.columns)
            """,
            [
                UUID(), try tx.writingUnit(), username, fullName, roles.map(\.rawValue).sorted(), passwordHash.encoded,
                now,
            ]
        ).first.map(StaffAccount.init(row:))
    }

    /// One page of accounts by username, after `after`; a province's accounts and its units'
    /// when `province` is given, else every account the scope reads.
    static func list(
        after: String?, limit: Int, province: String?, in tx: ScopedTransaction
    ) async throws -> [StaffAccount] {
        try await tx.query(
            """
            SELECT \(StaffAccount.columns) FROM staff
            WHERE username > $1
              AND ($2::text IS NULL OR unit_code = 'province:' || $2
                   OR unit_code IN (SELECT unit_code FROM units WHERE province_code = $2))
            ORDER BY username LIMIT $3
            """, [after ?? "", province, limit]
        ).map(StaffAccount.init(row:))
    }

    /// The end of the wait `username` is under at `client` (its own back-off or the
    /// account-wide one, whichever ends later); nil when it may try now. Known or not alike.
    static func blockedUntil(username: String, client: String, now: Date, in tx: ScopedTransaction) async throws
        -> Date?
    {
        try await tx.query(
            """
            SELECT max(blocked_until) FROM sign_in_failures
            WHERE username = $1 AND client IN ($2, '*') AND blocked_until > $3
            """, [username, client, now]
        ).first?.decode(Date?.self, at: 0)
    }

    /// Counts a wrong password for `username` from `client` and for the username from every
    /// address; a count at the `policy`'s threshold starts a back-off doubling with each further
    /// failure up to its cap. Failures older than the policy's memory are forgotten first.
    static func recordFailure(
        username: String, client: String, policy: SignInPolicy, now: Date, in tx: ScopedTransaction
    ) async throws {
        try await tx.execute(
            "DELETE FROM sign_in_failures WHERE last_failure_at < $1",
            [now.addingTimeInterval(-seconds(policy.failureMemory))])
        try await tx.execute(
            """
            INSERT INTO sign_in_failures AS f (username, client, failures, last_failure_at)
            VALUES ($1, $2, 1, $3), ($1, '*', 1, $3)
            ON CONFLICT (username, client) DO UPDATE SET
                failures = f.failures + 1,
                last_failure_at = $3,
                blocked_until = CASE
                    WHEN f.failures + 1 >= CASE WHEN f.client = '*' THEN $5::int ELSE $4::int END
                    THEN $3 + make_interval(secs => least(
                        $6::float8
                            * power(2, least(f.failures + 1 - CASE WHEN f.client = '*' THEN $5::int ELSE $4::int END, 30)),
                        CASE WHEN f.client = '*' THEN $8::float8 ELSE $7::float8 END))
                    ELSE f.blocked_until END
            """,
            [
                username, client, now, policy.maxFailures, policy.accountCeiling, seconds(policy.backOff),
                seconds(policy.backOffCap), seconds(policy.accountBackOffCap),
            ])
    }

    /// Forgets the failures of `username` from `client` and account-wide (a right password).
    static func clearFailures(username: String, client: String, in tx: ScopedTransaction) async throws {
        try await tx.execute(
            "DELETE FROM sign_in_failures WHERE username = $1 AND client IN ($2, '*')", [username, client])
    }

    /// Forgets every failure of `username` (an administrator's unlock).
    static func unlock(username: String, in tx: ScopedTransaction) async throws {
        try await tx.execute("DELETE FROM sign_in_failures WHERE username = $1", [username])
    }

    /// Disables the account (it can no longer sign in or refresh); false when it already was.
    static func disable(id: UUID, now: Date, in tx: ScopedTransaction) async throws -> Bool {
        try await tx.execute("UPDATE staff SET disabled_at = $2 WHERE id = $1 AND disabled_at IS NULL", [id, now]) == 1
    }

    /// Enables a disabled account; false when it was not disabled.
    static func enable(id: UUID, in tx: ScopedTransaction) async throws -> Bool {
        try await tx.execute("UPDATE staff SET disabled_at = NULL WHERE id = $1 AND disabled_at IS NOT NULL", [id]) == 1
    }

    /// Sets a new password (the account's waits after wrong passwords end with `unlock`).
    static func setPassword(id: UUID, hash: PasswordHash, now: Date, in tx: ScopedTransaction) async throws {
        try await tx.execute(
            "UPDATE staff SET password_hash = $2, password_changed_at = $3 WHERE id = $1", [id, hash.encoded, now])
    }

    // MARK: Sessions (a sign-in and its refreshes) and their refresh tokens, of which only the SHA-256 is kept.

    /// Opens a session of `staff` in the scope's unit, ending at `expiresAt` whatever the refreshes.
    static func openSession(staff: UUID, now: Date, expiresAt: Date, in tx: ScopedTransaction) async throws -> UUID {
        let id = UUID()
        try await tx.execute(
            """
            INSERT INTO staff_sessions (id, unit_code, staff_id, created_at, expires_at)
            VALUES ($1, $2, $3, $4, $5)
            """, [id, try tx.writingUnit(), staff, now, expiresAt])
        return id
    }

    /// Issues `refreshToken` in `session`, usable once until `expiresAt`.
    static func issueRefreshToken(
        _ refreshToken: String, session: UUID, now: Date, expiresAt: Date, in tx: ScopedTransaction
    ) async throws {
        try await tx.execute(
            """
            INSERT INTO staff_refresh_tokens (token_hash, unit_code, session_id, issued_at, expires_at)
            VALUES (sha256($1), $2, $3, $4, $5)
            """, [Data(refreshToken.utf8), try tx.writingUnit(), session, now, expiresAt])
    }

    /// What a presented refresh token belongs to, in any unit the scope reads.
    struct RefreshTokenUse: Sendable {
        let session: UUID
        let staff: UUID
        let home: StaffHome
        /// Used already: presenting it again means it was copied (RFC 6819 §5.2.2.3).
        let used: Bool
        /// Neither it nor its session expired, and the session was not revoked.
        let live: Bool
        let sessionExpiresAt: Date
    }

    static func refreshTokenUse(_ refreshToken: String, now: Date, in tx: ScopedTransaction) async throws
        -> RefreshTokenUse?
    {
        try await tx.query(
            """
            SELECT s.id, s.staff_id, s.unit_code, t.used_at IS NOT NULL,
                   s.revoked_at IS NULL AND s.expires_at > $2 AND t.expires_at > $2, s.expires_at
            FROM staff_refresh_tokens t JOIN staff_sessions s ON s.id = t.session_id
            WHERE t.token_hash = sha256($1)
            """, [Data(refreshToken.utf8), now]
        ).first.map { row in
            let (session, staff, unit, used, live, end) = try row.decode(
                UUID.self, UUID.self, String.self, Bool.self, Bool.self, Date.self)
            return RefreshTokenUse(
                session: session, staff: staff, home: StaffHome(unitCode: unit), used: used, live: live,
                sessionExpiresAt: end)
        }
    }

    /// Marks `refreshToken` used; false when another request used it first.
    static func useRefreshToken(_ refreshToken: String, now: Date, in tx: ScopedTransaction) async throws -> Bool {
        try await tx.execute(
            "UPDATE staff_refresh_tokens SET used_at = $2 WHERE token_hash = sha256($1) AND used_at IS NULL",
            [Data(refreshToken.utf8), now]) == 1
    }

    /// Revokes session `id` (every refresh token of it, and at intake every access token naming it)
    /// and returns its account's id; nil when it was already revoked or is unknown.
    static func revokeSession(id: UUID, reason: String, now: Date, in tx: ScopedTransaction) async throws -> UUID? {
        try await tx.query(
            """
            UPDATE staff_sessions SET revoked_at = $2, revoked_reason = $3
            WHERE id = $1 AND revoked_at IS NULL
            RETURNING staff_id
            """, [id, now, reason]
        ).first?.decode(UUID.self, at: 0)
    }

    /// Revokes every live session of `staff` (disabled, or given a new password).
    static func revokeSessions(staff: UUID, reason: String, now: Date, in tx: ScopedTransaction) async throws {
        try await tx.execute(
            """
            UPDATE staff_sessions SET revoked_at = $2, revoked_reason = $3
            WHERE staff_id = $1 AND revoked_at IS NULL
            """, [staff, now, reason])
    }

    /// Whether a token of account `staff` (nil: not one of ours by id) in `session` (nil: a token
    /// naming none) may act at `now` (the account is not disabled, the session neither revoked nor
    /// over), and the state of its `unit`: one round trip for every staff request.
    static func tokenHolds(
        staff: UUID?, session: UUID?, hasSession: Bool, unit: String?, now: Date, in tx: ScopedTransaction
    ) async throws -> TokenStanding {
        let row = try await tx.query(
            """
            SELECT (SELECT disabled_at IS NOT NULL FROM staff WHERE id = $1),
                   (SELECT revoked_at IS NULL AND expires_at > $3 FROM staff_sessions WHERE id = $2 AND staff_id = $1),
                   (SELECT disabled_at IS NULL FROM units WHERE unit_code = $4)
            """, [staff, session, now, unit]
        ).single()
        let (disabled, live, unitOpen) = try row.decode(Bool?.self, Bool?.self, Bool?.self)
        return TokenStanding(
            sessionHolds: disabled != true && (!hasSession || live == true),
            unit: UnitState(open: unitOpen))
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
