import Postgres

/// The migrations every service's schema starts with: the audit trail (1) and the idempotency
/// keys (2). A service's own migrations follow, numbered from 3.
public enum ToolkitSchema {
    public static let migrations: [Migration] = [
        AuditTrail.migration,
        Migration(2, "idempotency_keys", IdempotencyStore.migrationSQL),
    ]

    /// The toolkit's migrations followed by a service's `own`, which must number from 3 on.
    public static func followed(by own: [Migration]) -> [Migration] {
        precondition(
            own.map(\.version) == Array((migrations.count + 1)..<(migrations.count + 1 + own.count)),
            "a service's own migrations number from \(migrations.count + 1), one by one")
        return migrations + own
    }
}
