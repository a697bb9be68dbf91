import Foundation
import Postgres
import ServiceKit

/// A staff account (tài khoản cán bộ) as the staff table holds it, password hash included: what
/// sign-in and the staff routes work with, never what they answer (see `StaffMember`).
struct StaffAccount: Sendable {
    let id: UUID
    let home: StaffHome
    let username: String
    let fullName: String
    let roles: Set<StaffRole>
    let passwordHash: PasswordHash
    /// The end of the account-wide back-off (`SignInPolicy.accountCeiling`), if one was set.
    let lockedUntil: Date?
    let disabledAt: Date?
    let createdAt: Date

    /// The columns `init(row:)` reads, in order.
    static let columns = """
        id, unit_code, username, full_name, roles, password_hash,
        (SELECT blocked_until FROM sign_in_failures f WHERE f.username = staff.username AND f.client = '*'),
        disabled_at, created_at
        """

    init(row: PostgresRow) throws {
        let (id, unitCode, username, fullName, roles, hash, lockedUntil, disabledAt, createdAt) =
            try row.decode(
                UUID.self, String.self, String.self, String.self, [String].self, String.self, Date?.self, Date?.self,
                Date.self)
        self.id = id
        home = StaffHome(unitCode: unitCode)
        self.username = username
        self.fullName = fullName
        // A role name this build does not know grants nothing, as in a token.
        self.roles = Set(roles.compactMap(StaffRole.init(rawValue:)))
        passwordHash = PasswordHash(encoded: hash)
        self.lockedUntil = lockedUntil
        self.disabledAt = disabledAt
        self.createdAt = createdAt
    }

    /// Whether the account is locked at `now`.
    func isLocked(at now: Date) -> Bool { lockedUntil.map { $0 > now } ?? false }

    /// The principal a token for this account names, in sign-in session `session`.
    func principal(session: UUID? = nil) -> StaffPrincipal {
        StaffPrincipal(
            id: id.uuidString.lowercased(), name: fullName, roles: roles, scope: home,
            session: session?.uuidString.lowercased())
    }

    /// The principal the audit trail names for this account.
    var principal: StaffPrincipal { principal() }

    /// The account as the API shows it.
    func member(at now: Date) -> StaffMember {
        StaffMember(
            id: id.uuidString.lowercased(), username: username, fullName: fullName,
            roles: roles.map(\.rawValue).sorted(),
            unitCode: home.unitCode, provinceCode: { if case .province(let code) = home { code } else { nil } }(),
            disabled: disabledAt != nil, lockedUntil: isLocked(at: now) ? lockedUntil : nil, createdAt: createdAt)
    }
}

/// A staff account as the API answers it: never its password hash.
public struct StaffMember: Codable, Sendable, Equatable {
    /// The account's id, also the `sub` of its tokens and the actor of its audit records.
    public var id: String
    public var username: String
    public var fullName: String
    /// Role names (`receptionist`, `admin`, `province_admin`, …).
    public var roles: [String]
    /// The unit's agency code, or `province:<code>` for a province account.
    public var unitCode: String
    /// The province of a province account.
    public var provinceCode: String?
    public var disabled: Bool
    /// Set while every sign-in of the account waits after many wrong passwords from all addresses.
    public var lockedUntil: Date?
    public var createdAt: Date
}
