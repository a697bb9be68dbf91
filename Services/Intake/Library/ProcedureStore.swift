import Domain
import Foundation
import Postgres
import ServiceKit

/// The procedure catalogue's table (`procedures`, migration 5): reads for the API and for the
/// receipt, which calls `procedure(code:in:)` inside its own transaction, and an admin's writes.
public enum ProcedureStore {
    /// The procedure `code`, or nil when the catalogue has none; read in `tx`, so a receipt sees
    /// the catalogue as of its own transaction. A retired one comes back with `active` false: the
    /// caller decides whether it may still be used.
    public static func procedure(code: String, in tx: ScopedTransaction) async throws -> Procedure? {
        try await tx.query("SELECT \(columns) FROM procedures WHERE code = $1", [code]).first.map(procedure)
    }

    /// Where a list's page starts: after the last item's name and code, the list's order.
    struct ListKey: Codable, Sendable {
        var name: String
        var code: String
    }

    /// Up to `limit` procedures after `after` in order of name then code, whose name or code
    /// contains `search` (case and diacritics ignored: `dang ky` finds `Đăng ký`) and whose field
    /// is `field` exactly, when given.
    static func list(
        search: String?, field: String?, after: ListKey?, limit: Int, in tx: ScopedTransaction
    ) async throws -> [Procedure] {
        try await tx.query(
            """
            SELECT \(columns) FROM procedures
            WHERE ($1::text IS NULL
                   OR strpos(lower(translate(name, $6, $7)), lower(translate($1, $6, $7))) > 0
                   OR strpos(lower(code), lower($1)) > 0)
              AND ($2::text IS NULL OR field = $2)
              AND ($3::text IS NULL OR (name, code) > ($3, $4))
            ORDER BY name, code
            LIMIT $5
            """,
            [search, field, after?.name, after?.code, limit, VietnameseFolding.from, VietnameseFolding.to]
        ).map(procedure)
    }

    /// The procedure `code` locked until `tx` ends, for an edit; nil when there is none.
    static func lockedProcedure(code: String, in tx: ScopedTransaction) async throws -> Procedure? {
        try await tx.query("SELECT \(columns) FROM procedures WHERE code = $1 FOR UPDATE", [code]).first.map(
            procedure)
    }

    /// Adds `procedure` (not demo data) as of `now`; false when its code is taken.
    static func insert(_ procedure: Procedure, now: Date, in tx: ScopedTransaction) async throws -> Bool {
        try await tx.execute(
            """
            INSERT INTO procedures (code, name, field, level, processing_days, same_day_cutoff, fee, charge,
                                    electronic_result, reuse_eligible, boundary_independent, legal_basis,
                                    components, active, demo, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6::time, $7, $8, $9, $10, $11, $12, $13::jsonb, $14, false, $15)
            ON CONFLICT (code) DO NOTHING
            """, values(of: procedure) + [now]) == 1
    }

    /// Replaces the procedure of `procedure.code` with `procedure` as of `now`, clearing its demo
    /// mark (an admin has now checked it).
    static func update(_ procedure: Procedure, now: Date, in tx: ScopedTransaction) async throws {
        try await tx.execute(
            """
            UPDATE procedures
            SET name = $2, field = $3, level = $4, processing_days = $5, same_day_cutoff = $6::time, fee = $7,
                charge = $8, electronic_result = $9, reuse_eligible = $10, boundary_independent = $11,
                legal_basis = $12, components = $13::jsonb, active = $14, demo = false, updated_at = $15
            WHERE code = $1
            """, values(of: procedure) + [now])
    }

    /// Records whether the scope's unit serves procedure `code`, as of `now`.
    static func setOffered(_ code: String, _ offered: Bool, now: Date, in tx: ScopedTransaction) async throws {
        try await tx.execute(
            """
            INSERT INTO unit_procedures (unit_code, procedure_code, offered, updated_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (unit_code, procedure_code) DO UPDATE SET offered = $3, updated_at = $4
            """, [try tx.writingUnit(), code, offered, now])
    }

    private static let columns = """
        code, name, field, level, processing_days, same_day_cutoff, fee, charge, \
        electronic_result, reuse_eligible, boundary_independent, legal_basis, components, active, demo
        """

    private static func values(of procedure: Procedure) -> [any PostgresEncodable] {
        [
            procedure.code, procedure.name, procedure.field, procedure.level, procedure.processingDays,
            procedure.sameDayCutoff, procedure.fee, procedure.charge, procedure.electronicResult,
            procedure.reuseEligible, procedure.boundaryIndependent, procedure.legalBasis,
            JSONB(procedure.components), procedure.active,
        ]
    }

    private static func procedure(_ row: PostgresRow) throws -> Procedure {
        let (
            code, name, field, level, days, cutoff, fee, charge, electronic, reuse, boundaryIndependent, legalBasis,
            components, active, demo
        ) = try row.decode(
            String.self, String.self, String.self, ProcedureLevel.self, Int.self, TimeOfDay?.self, Money.self,
            Money.self, Bool.self, Bool.self, Bool.self, String.self, JSONB<[Procedure.Component]>.self, Bool.self,
            Bool.self)
        return Procedure(
            code: code, name: name, field: field, level: level, processingDays: days, sameDayCutoff: cutoff,
            fee: fee, charge: charge, electronicResult: electronic, reuseEligible: reuse,
            boundaryIndependent: boundaryIndependent, legalBasis: legalBasis, components: components.value,
            active: active, demo: demo)
    }
}
