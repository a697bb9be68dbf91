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

    /// Counts a wrong password; at the `policy`'s limit the account is locked until `now` plus
    /// the lockout and the count starts again. Returns the lock's end when it holds now.
    static func recordFailure(
        id: UUID, policy: SignInPolicy, now: Date, in tx: ScopedTransaction
    ) async throws -> Date? {
        let lockEnd = now.addingTimeInterval(TimeInterval(policy.lockout.components.seconds))
        return try await tx.query(
            """
            UPDATE staff SET
                failed_attempts = CASE WHEN failed_attempts + 1 >= $2 THEN 0 ELSE failed_attempts + 1 END,
                locked_until = CASE WHEN failed_attempts + 1 >= $2 THEN $3 ELSE locked_until END
            WHERE id = $1
            RETURNING CASE WHEN locked_until > $4 THEN locked_until END
            """, [id, policy.maxFailures, lockEnd, now]
        ).first?.decode(Date?.self, at: 0)
    }

    /// Clears the failure count after a right password, unless the account was locked or
    /// disabled meanwhile; false then.
    static func recordSuccess(id: UUID, now: Date, in tx: ScopedTransaction) async throws -> Bool {
        try await tx.execute(
            """
            UPDATE staff SET failed_attempts = 0, locked_until = NULL
            WHERE id = $1 AND disabled_at IS NULL AND (locked_until IS NULL OR locked_until <= $2)
            """, [id, now]) == 1
    }

    /// Disables the account (it can no longer sign in or refresh); false when it already was.
    static func disable(id: UUID, now: Date, in tx: ScopedTransaction) async throws -> Bool {
        try await tx.execute("UPDATE staff SET disabled_at = $2 WHERE id = $1 AND disabled_at IS NULL", [id, now]) == 1
    }

    /// Sets a new password and lifts a lockout.
    static func setPassword(id: UUID, hash: PasswordHash, now: Date, in tx: ScopedTransaction) async throws {
        try await tx.execute(
            """
            UPDATE staff SET password_hash = $2, password_changed_at = $3, failed_attempts = 0, locked_until = NULL
            WHERE id = $1
            """, [id, hash.encoded, now])
    }

    // MARK: Refresh sessions: only the SHA-256 of a refresh token is stored.

    /// A new session for `staff` in the scope's unit, usable until `expiresAt`.
    static func createSession(
        staff: UUID, refreshToken: String, now: Date, expiresAt: Date, in tx: ScopedTransaction
    ) async throws {
        try await tx.execute(
            """
            INSERT INTO staff_sessions (id, unit_code, staff_id, token_hash, created_at, expires_at)
            VALUES ($1, $2, $3, sha256($4), $5, $6)
            """, [UUID(), try tx.writingUnit(), staff, Data(refreshToken.utf8), now, expiresAt])
    }

    /// The home of the account whose live session `refreshToken` opens, in any unit the scope reads.
    static func sessionHome(refreshToken: String, now: Date, in tx: ScopedTransaction) async throws -> StaffHome? {
        try await tx.query(
            """
            SELECT unit_code FROM staff_sessions
            WHERE token_hash = sha256($1) AND revoked_at IS NULL AND expires_at > $2
            """, [Data(refreshToken.utf8), now]
        ).first.map { StaffHome(unitCode: try $0.decode(String.self, at: 0)) }
    }

    /// Revokes the live session `refreshToken` opens and returns its account's id; nil when there
    /// is none (unknown, expired, or already used or revoked: only one caller ever wins).
    static func revokeSession(refreshToken: String, now: Date, in tx: ScopedTransaction) async throws -> UUID? {
        try await tx.query(
            """
            UPDATE staff_sessions SET revoked_at = $2
            WHERE token_hash = sha256($1) AND revoked_at IS NULL AND expires_at > $2
            RETURNING staff_id
            """, [Data(refreshToken.utf8), now]
        ).first?.decode(UUID.self, at: 0)
    }

    /// Revokes every live session of `staff` (disabled, or given a new password).
    static func revokeSessions(staff: UUID, now: Date, in tx: ScopedTransaction) async throws {
        try await tx.execute(
            "UPDATE staff_sessions SET revoked_at = $2 WHERE staff_id = $1 AND revoked_at IS NULL", [staff, now])
    }
}
