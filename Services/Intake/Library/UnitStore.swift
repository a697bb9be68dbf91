import Domain
import Events
import Foundation
import HTTP
import Postgres
import ServiceKit

/// A ward or commune this deployment serves (đơn vị cấp xã), as the API shows it.
public struct AdministrativeUnit: Codable, Sendable, Equatable {
    /// Its agency code, the prefix of its dossier codes (`H01.40.23`).
    public var code: String
    public var name: String
    public var provinceCode: String
    public var createdAt: Date
    public var updatedAt: Date
    /// When the unit was closed (merged, dissolved): its staff and its online filing are refused.
    public var disabledAt: Date?
}

/// The SQL of units. A unit's row is its own (`unit_code` = its code): registering or renaming
/// one runs in a transaction writing in it, and publishes `unit.registered` there, so the other
/// services learn its name.
enum UnitStore {
    /// The unit `code`, if the scope reads it.
    static func unit(_ code: String, in tx: ScopedTransaction) async throws -> AdministrativeUnit? {
        try await tx.query(
            "SELECT \(columns) FROM units WHERE unit_code = $1", [code]
        ).first.map(decode)
    }

    /// One page of units by code after `after`, of `province` when given.
    static func list(after: String?, limit: Int, province: String?, in tx: ScopedTransaction) async throws
        -> [AdministrativeUnit]
    {
        try await tx.query(
            """
            SELECT \(columns) FROM units
            WHERE unit_code > $1 AND ($2::text IS NULL OR province_code = $2)
            ORDER BY unit_code LIMIT $3
            """, [after ?? "", province, limit]
        ).map(decode)
    }

    /// Registers the scope's unit and publishes `unit.registered`; nil when it already exists.
    static func register(name: String, provinceCode: String, in tx: ScopedTransaction) async throws
        -> AdministrativeUnit?
    {
        let now = tx.clock.now
        guard
            let row = try await tx.query(
                """
                INSERT INTO units (unit_code, name, province_code, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
                ON CONFLICT (unit_code) DO NOTHING
                RETURNING \(columns)
                """, [try tx.writingUnit(), name, provinceCode, now]
            ).first
        else { return nil }
        let registered = try decode(row)
        try await publish(registered, in: tx)
        return registered
    }

    /// Renames the scope's unit and publishes `unit.registered` with its new name; nil when it
    /// does not exist.
    static func rename(to name: String, in tx: ScopedTransaction) async throws -> AdministrativeUnit? {
        guard
            let row = try await tx.query(
                """
                UPDATE units SET name = $2, updated_at = $3 WHERE unit_code = $1
                RETURNING \(columns)
                """, [try tx.writingUnit(), name, tx.clock.now]
            ).first
        else { return nil }
        let renamed = try decode(row)
        try await publish(renamed, in: tx)
        return renamed
    }

    private static func publish(_ unit: AdministrativeUnit, in tx: ScopedTransaction) async throws {
        try await tx.publish(
            UnitRegistered(
                code: unit.code, name: unit.name, provinceCode: unit.provinceCode, registeredAt: tx.clock.now),
            key: unit.code)
    }

    /// Closes the scope's unit as of now; nil when it does not exist. Closing twice keeps the first time.
    static func close(in tx: ScopedTransaction) async throws -> AdministrativeUnit? {
        try await tx.query(
            """
            UPDATE units SET disabled_at = coalesce(disabled_at, $2), updated_at = $2 WHERE unit_code = $1
            RETURNING \(columns)
            """, [try tx.writingUnit(), tx.clock.now]
        ).first.map(decode)
    }

    /// Throws a 422 problem unless `unit` takes online filing of `procedureCode`: the unit is open
    /// (registered and not closed, or the deployment's own unit) and has not switched the procedure
    /// off; one round trip. Whether the procedure exists and is active is the receipt's check.
    static func requireOpenForFiling(_ unit: String, procedureCode: String?, context: ServiceRequestContext)
        async throws
    {
        let procedure = procedureCode?.trimmingCharacters(in: .whitespaces) ?? ""
        let (open, offered) = try await context.transaction(.unit(unit)) { tx in
            try await tx.query(
                """
                SELECT (SELECT disabled_at IS NULL FROM units WHERE unit_code = $1),
                       coalesce(
                           (SELECT offered FROM unit_procedures WHERE unit_code = $1 AND procedure_code = $2), true)
                """, [try tx.writingUnit(), procedure]
            ).single().decode(Bool?.self, Bool.self)
        }
        let wardCode = context.service.configuration.wardCode
        if let refusal = UnitState(open: open).refusal(of: unit, wardCode: wardCode) {
            let error = FieldError(field: "unitCode", code: refusal.code, detail: refusal.detail)
            throw ProblemError.unprocessable(detail: refusal.detail, errors: [error])
        }
        guard offered || procedure.isEmpty else {
            let detail = "Đơn vị \(unit) không giải quyết thủ tục \(procedure.prefix(40))."
            let error = FieldError(field: "procedureCode", code: "procedure_not_offered", detail: detail)
            throw ProblemError.unprocessable(detail: detail, errors: [error])
        }
    }

    private static let columns = "unit_code, name, province_code, created_at, updated_at, disabled_at"

    private static func decode(_ row: PostgresRow) throws -> AdministrativeUnit {
        let (code, name, province, created, updated, disabled) = try row.decode(
            String.self, String.self, String.self, Date.self, Date.self, Date?.self)
        return AdministrativeUnit(
            code: code, name: name, provinceCode: province, createdAt: created, updatedAt: updated,
            disabledAt: disabled)
    }

    /// Whether `code` is a province code: one segment of an agency code (`01`, `H01`).
    static func isProvinceCode(_ code: String) -> Bool {
        !code.contains(".") && DossierCode.isAgencyCode(code)
    }

    /// The province a unit belongs to: its agency code's first segment (`H01.40.23` → `H01`), the
    /// rule every service's row security reads (`scope.in_province`).
    static func province(of code: String) -> String {
        String(code.prefix { $0 != "." })
    }

    /// Whether `code` is a unit code of `province`: the province's code and two groups of two
    /// digits (`H01.40.23`), as the province numbers its communes' agencies (QCVN 102:2016 leaves
    /// the lower levels to the province).
    static func isUnitCode(_ code: String, of province: String) -> Bool {
        let segments = code.split(separator: ".", omittingEmptySubsequences: false)
        return DossierCode.isAgencyCode(code) && segments.count == 3 && segments[0] == province
            && segments.dropFirst().allSatisfy { $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }
}
