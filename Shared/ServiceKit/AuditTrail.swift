import Foundation
import Postgres

/// The audit trail every service keeps in its own schema (ARCHITECTURE §8: every staff action
/// lands in the owning service's audit trail with the token's staff id).
///
/// The records of one subject within one unit form a hash chain: each record's hash covers its
/// content and the previous record's hash, and `audit_chain_head` keeps each chain's length and
/// last hash. `verify` therefore detects a changed record, a record deleted from the start or the
/// middle, records reordered, and the last records deleted (the head outlives them). It cannot
/// detect someone with write access who rewrites a chain from the changed record to its end and
/// the head to match: that needs the heads copied somewhere the database's owner cannot write
/// (an export, a report to the province centre), which this trail does not do yet. The service's
/// own role cannot: its trail is owned by role `audit`, and it may only append and read.
public enum AuditTrail {
    /// The first migration of every service's schema: the service's trail, made by
    /// `audit.create_trail()` (deploy/sql/bootstrap.sql) in schema `audit`, owned by role `audit`,
    /// so that the service (which owns its own schema and could drop anything in it) may only
    /// append to it (`record`, through `audit.chain_head` and `audit.append`) and read it; and the
    /// views `audit_trail` and `audit_chain_head` in the service's schema to read it by those names.
    /// Rewritten in place while nothing is deployed; from the first deployment on it never changes.
    public static let migration = Migration(
        1, "audit_trail",
        """
        SELECT audit.create_trail();
        DO $$
        BEGIN
            EXECUTE format('CREATE VIEW audit_trail AS SELECT * FROM audit.%I', session_user || '_trail');
            EXECUTE format('CREATE VIEW audit_chain_head AS SELECT * FROM audit.%I', session_user || '_chain_head');
        END
        $$;
        """)

    /// The trail of the service whose schema is `schema`, and its chains' heads (qualified).
    static func tables(of schema: String) -> (trail: String, heads: String) {
        (
            "audit.\(PostgresConnection.quoteIdentifier(schema + "_trail"))",
            "audit.\(PostgresConnection.quoteIdentifier(schema + "_chain_head"))"
        )
    }

    /// Records that `actor` did `action` to `subject` of `unit` at `at` (the caller's clock), in
    /// the caller's transaction, so the record exists exactly when the change it describes does.
    ///
    /// Appends to one subject's chain wait for each other (the chain's head row is locked until
    /// the transaction ends), so the chain never forks. `details` is any `Encodable` (a
    /// `[String: String]` will do), stored as `jsonb`.
    public static func record<Details: Encodable>(
        actor: AuditActor, action: String, subject: String, details: Details, unit: String, requestId: String?,
        at: Date, in tx: PostgresTransaction
    ) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let json = String(decoding: try encoder.encode(details), as: UTF8.self)
        let head = try await tx.query(
            "SELECT seq, hash, $3::jsonb::text FROM audit.chain_head($1, $2)", [unit, subject, json]
        ).single()
        let (last, previous, details) = try head.decode(Int64.self, Data?.self, String.self)
        let entry = AuditEntry(
            unitCode: unit, subject: subject, sequence: last + 1,
            atMicroseconds: Int64((at.timeIntervalSince1970 * 1_000_000).rounded(.down)), actor: actor.id,
            actorName: actor.name, action: action, requestID: requestId, details: details)
        let hash = Data(entry.hash(previous: previous.map { [UInt8]($0) }))
        try await tx.query(
            """
            SELECT audit.append($1, $2, $3, 'epoch'::timestamptz + $4 * interval '1 microsecond', $5, $6, $7, $8,
                                $9::jsonb, $10, $11)
            """,
            [
                unit, subject, entry.sequence, entry.atMicroseconds, actor.id, actor.name, action, requestId, details,
                previous, hash,
            ])
    }

    /// Reads every chain of `schema`'s audit trail and reports each break: the walk recomputes
    /// every record's hash and checks each record follows the one before it, then each chain's
    /// end is compared with its head. Runs in one REPEATABLE READ snapshot, so appends made while
    /// it runs are neither half-seen nor reported.
    public static func verify(_ pool: PostgresPool, schema: String) async throws -> AuditVerification {
        let (trail, heads) = tables(of: schema)
        return try await pool.transaction(.repeatableRead) { tx in
            var verification = AuditVerification(chains: 0, records: 0, breaks: [])
            var walk = ChainWalk()
            var after: (String, String, Int64) = ("", "", 0)
            while true {
                let page = try await tx.query(
                    """
                    SELECT unit_code, subject, seq, (extract(epoch FROM at) * 1000000)::bigint, actor, actor_name,
                           action, request_id, details::text, prev_hash, hash
                    FROM \(trail)
                    WHERE (unit_code, subject, seq) > ($1, $2, $3)
                    ORDER BY unit_code, subject, seq
                    LIMIT 1000
                    """, [after.0, after.1, after.2])
                for row in page {
                    let (unit, subject, sequence, micros, actor, actorName) = try row.decode(
                        String.self, String.self, Int64.self, Int64.self, String.self, String?.self)
                    let entry = AuditEntry(
                        unitCode: unit, subject: subject, sequence: sequence, atMicroseconds: micros, actor: actor,
                        actorName: actorName, action: try row.decode(at: 6), requestID: try row.decode(at: 7),
                        details: try row.decode(at: 8))
                    let previous = try row.decode(Data?.self, at: 9).map { [UInt8]($0) }
                    verification.breaks += walk.check(
                        entry, previous: previous, hash: [UInt8](try row.decode(Data.self, at: 10)))
                    after = (unit, subject, sequence)
                }
                verification.records += page.count
                if page.count < 1000 { break }
            }
            verification.chains = try await tx.query(
                "SELECT count(*) FROM (SELECT unit_code, subject FROM \(trail) UNION SELECT unit_code, subject FROM \(heads)) c"
            ).single().decode(Int.self, at: 0)
            verification.breaks += try await headBreaks(tx, trail: trail, heads: heads)
            return verification
        }
    }

    /// Chains whose end disagrees with their head.
    private static func headBreaks(_ tx: PostgresTransaction, trail: String, heads: String) async throws -> [AuditBreak]
    {
        let rows = try await tx.query(
            """
            SELECT h.unit_code, h.subject, h.seq, h.hash = t.hash,
                   (SELECT max(seq) FROM \(trail) m WHERE m.unit_code = h.unit_code AND m.subject = h.subject)
            FROM \(heads) h
            LEFT JOIN \(trail) t ON t.unit_code = h.unit_code AND t.subject = h.subject AND t.seq = h.seq
            WHERE h.hash IS DISTINCT FROM t.hash
               OR EXISTS (SELECT FROM \(trail) l WHERE l.unit_code = h.unit_code AND l.subject = h.subject AND l.seq > h.seq)
            UNION ALL
            SELECT t.unit_code, t.subject, NULL, NULL, max(t.seq)
            FROM \(trail) t
            WHERE NOT EXISTS (SELECT FROM \(heads) h WHERE h.unit_code = t.unit_code AND h.subject = t.subject)
            GROUP BY t.unit_code, t.subject
            ORDER BY 1, 2
            """)
        return try rows.map { row in
            let (unit, subject, headSequence, sameHash, lastSequence) = try row.decode(
                String.self, String.self, Int64?.self, Bool?.self, Int64?.self)
            let last = lastSequence ?? 0
            guard let headSequence else {
                return AuditBreak(
                    kind: .headMismatch, unitCode: unit, subject: subject, sequence: last,
                    detail: "the chain has no head: its records were not written by AuditTrail.record")
            }
            if last < headSequence {
                return AuditBreak(
                    kind: .truncated, unitCode: unit, subject: subject, sequence: last + 1,
                    detail:
                        "records \(last + 1)…\(headSequence) are missing: the head says the chain has \(headSequence)")
            }
            if last > headSequence {
                return AuditBreak(
                    kind: .headMismatch, unitCode: unit, subject: subject, sequence: headSequence + 1,
                    detail: "records \(headSequence + 1)…\(last) lie past the head: added without AuditTrail.record")
            }
            return AuditBreak(
                kind: .headMismatch, unitCode: unit, subject: subject, sequence: headSequence,
                detail: sameHash == nil
                    ? "the head has no hash" : "the last record's hash is not the one the head kept: it was rewritten")
        }
    }
}
