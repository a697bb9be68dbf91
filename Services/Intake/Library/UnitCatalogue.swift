import Foundation
import Postgres
import ServiceKit

/// One line of the catalogue of administrative units (danh mục đơn vị hành chính) a province
/// publishes: the unit's agency code (mã định danh cơ quan, QCVN 102:2016), its official name and,
/// when known, its administrative unit code (mã ĐVHC, five digits).
public struct CatalogueUnit: Codable, Sendable, Equatable {
    /// The agency code a unit registers with (`H01.40.23`).
    public var code: String
    /// The official name, which a unit registered with this code takes.
    public var name: String
    /// The code's first segment (`H01`).
    public var provinceCode: String
    /// The five-digit mã ĐVHC, when the province gives it.
    public var administrativeCode: String?

    public init(code: String, name: String, administrativeCode: String? = nil) {
        self.code = code
        self.name = name
        self.provinceCode = UnitStore.province(of: code)
        self.administrativeCode = administrativeCode
    }
}

/// The SQL of the unit catalogue (`unit_catalogue`): reference data every unit shares, like the
/// procedure catalogue, so it has no unit_code. A unit registers only with a code listed here
/// (`UnitRoutes`); an operator loads a province's list with `motcua-intake units import`.
enum UnitCatalogue {
    /// The catalogue's line for `code`, if listed.
    static func unit(_ code: String, in tx: ScopedTransaction) async throws -> CatalogueUnit? {
        try await tx.query(
            "SELECT code, name, administrative_code FROM unit_catalogue WHERE code = $1", [code]
        ).first.map { row in
            let (code, name, administrative) = try row.decode(String.self, String.self, String?.self)
            return CatalogueUnit(code: code, name: name, administrativeCode: administrative)
        }
    }

    /// How many lines of an import were new and how many changed; the rest were already so.
    struct Counts: Sendable, Equatable {
        var inserted = 0
        var updated = 0
    }

    /// Inserts or updates each of `units` (one province's) in one transaction and audits the
    /// import in the province's own rows (`province:<code>`): counts only, no names or codes of
    /// people. Lines already as given are left alone, so loading the same file again changes nothing.
    static func load(_ units: [CatalogueUnit], of province: String, by actor: AuditActor, context: ServiceContext)
        async throws -> Counts
    {
        try await context.transaction(.allUnits(writingIn: "province:\(province)")) { tx in
            let inserted = try await tx.query(
                """
                INSERT INTO unit_catalogue AS c (code, name, province_code, administrative_code, updated_at)
                SELECT code, name, "provinceCode", "administrativeCode", $2
                FROM jsonb_to_recordset($1::jsonb)
                    AS file(code text, name text, "provinceCode" text, "administrativeCode" text)
                ON CONFLICT (code) DO UPDATE
                    SET name = excluded.name, province_code = excluded.province_code,
                        administrative_code = excluded.administrative_code, updated_at = excluded.updated_at
                    WHERE (c.name, c.province_code, c.administrative_code)
                        IS DISTINCT FROM (excluded.name, excluded.province_code, excluded.administrative_code)
                RETURNING xmax = 0
                """, [JSONB(units), tx.clock.now]
            ).map { try $0.decode(Bool.self, at: 0) }
            let counts = Counts(inserted: inserted.filter { $0 }.count, updated: inserted.filter { !$0 }.count)
            try await tx.audit(
                actor: actor, action: "unit_catalogue.imported", subject: "province:\(province)",
                details: ["lines": units.count, "inserted": counts.inserted, "updated": counts.updated])
            return counts
        }
    }
}
