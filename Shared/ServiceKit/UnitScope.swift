import Postgres

/// The SQL that puts a service's table under its unit's row-level security.
///
/// Every table holding a unit's data has `unit_code text NOT NULL` and, in the migration that
/// creates it, `UnitScope.rowLevelSecurity(on:)`: reads see the transaction's unit, the units of
/// the province in scope (a province role), or every unit (a system read); writes must go into the
/// transaction's unit, and a statement run with no unit in scope fails ("no unit in scope")
/// instead of silently seeing nothing. The policy is forced, so it holds for the service's own
/// role, which owns the table. A unit's province is its code's first segment (`deploy/sql/bootstrap.sql`,
/// `scope.in_province`).
public enum UnitScope {
    /// `ALTER TABLE … ENABLE/FORCE ROW LEVEL SECURITY` and the policy, for `table` (unqualified,
    /// in the migrating schema).
    public static func rowLevelSecurity(on table: String) -> String {
        """
        ALTER TABLE \(checked(table)) ENABLE ROW LEVEL SECURITY;
        ALTER TABLE \(table) FORCE ROW LEVEL SECURITY;
        CREATE POLICY unit_scope ON \(table) USING (\(readable)) WITH CHECK (\(writable));
        """
    }

    /// The policy as the first migrations created it, which read one unit or every unit: their
    /// checksums cover this text, so it never changes. `provinceReads(on:)` brings such a table's
    /// policy up to `rowLevelSecurity(on:)`'s.
    public static func unitOrAllRowLevelSecurity(on table: String) -> String {
        """
        ALTER TABLE \(checked(table)) ENABLE ROW LEVEL SECURITY;
        ALTER TABLE \(table) FORCE ROW LEVEL SECURITY;
        CREATE POLICY unit_scope ON \(table)
            USING ((SELECT scope.readable_unit()) IS NULL OR unit_code = (SELECT scope.readable_unit()))
            WITH CHECK (unit_code = (SELECT scope.unit()));
        """
    }

    /// Gives a table made with `unitOrAllRowLevelSecurity(on:)` the current policy: a province's
    /// scope reads that province's units (until then it read only the unit it wrote in).
    public static func provinceReads(on table: String) -> String {
        "ALTER POLICY unit_scope ON \(checked(table)) USING (\(readable)) WITH CHECK (\(writable));"
    }

    /// The rows a transaction reads. The scope's functions are evaluated once per statement (init
    /// plans); `scope.in_province` is plain SQL, inlined.
    private static let readable = """
        (SELECT scope.readable_unit()) IS NULL OR unit_code = (SELECT scope.readable_unit()) \
        OR scope.in_province(unit_code, (SELECT scope.readable_province()))
        """

    private static let writable = "unit_code = (SELECT scope.unit())"

    private static func checked(_ table: String) -> String {
        precondition(table.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }, "table name \(table)")
        return table
    }

    /// The statement that opens a transaction's scope: `set_config(…, true)` lasts until it ends.
    static let setScopeSQL = """
        SELECT set_config('motcua.unit', $1, true), set_config('motcua.read_all', $2, true), \
        set_config('motcua.province', $3, true)
        """

    static func parameters(_ scope: DataScope) -> [any PostgresEncodable] {
        [scope.unit ?? "", scope.readsAllUnits ? "on" : "off", scope.province ?? ""]
    }
}
