import Domain
import Events
import Foundation
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
}

/// The SQL of units. A unit's row is its own (`unit_code` = its code): registering or renaming
/// one runs in a transaction writing in it, and publishes `unit.registered` there, so the other
/// services learn its name.
enum UnitStore {
    /// The unit `code`, if the scope reads it.
    static func unit(_ code: String, in tx: ScopedTransaction) async throws -> AdministrativeUnit? {
        try await tx.query(
            "SELECT unit_code, name, province_code, created_at, updated_at FROM units WHERE unit_code = $1", [code]
        ).first.map(decode)
    }

    /// One page of units by code after `after`, of `province` when given.
    static func list(after: String?, limit: Int, province: String?, in tx: ScopedTransaction) async throws
        -> [AdministrativeUnit]
    {
        try await tx.query(
            """
            SELECT unit_code, name, province_code, created_at, updated_at FROM units
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
                RETURNING unit_code, name, province_code, created_at, updated_at
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
                RETURNING unit_code, name, province_code, created_at, updated_at
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

    private static func decode(_ row: PostgresRow) throws -> AdministrativeUnit {
        let (code, name, province, created, updated) = try row.decode(
            String.self, String.self, String.self, Date.self, Date.self)
        return AdministrativeUnit(
            code: code, name: name, provinceCode: province, createdAt: created, updatedAt: updated)
    }

    /// Whether `code` is a province code: one segment of an agency code (`01`, `H01`).
    static func isProvinceCode(_ code: String) -> Bool {
        !code.contains(".") && DossierCode.isAgencyCode(code)
    }

    /// The province a unit belongs to when nobody says: its agency code's first segment
    /// (`H01.40.23` → `H01`).
    static func defaultProvince(of code: String) -> String {
        String(code.prefix { $0 != "." })
    }
}
