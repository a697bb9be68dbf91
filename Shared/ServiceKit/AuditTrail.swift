import Postgres

/// The audit trail every service keeps in its own schema (ARCHITECTURE §8: every staff action
/// lands in the owning service's audit trail with the token's staff id).
public enum AuditTrail {
    /// The first migration of every service's schema.
    public static let migration = Migration(
        1, "audit_trail",
        """
        CREATE TABLE audit_trail (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at timestamptz NOT NULL DEFAULT now(),
            actor text NOT NULL,
            action text NOT NULL,
            subject text NOT NULL,
            request_id text,
            detail jsonb NOT NULL DEFAULT '{}'
        );
        CREATE INDEX audit_trail_subject ON audit_trail (subject, at);
        """)
}
