import Postgres

/// The SQL that puts a service's table under its unit's row-level security.
///
/// Every table holding a unit's data has `unit_code text NOT NULL` and, in the migration that
/// creates it, `UnitScope.rowLevelSecurity(on:)`: reads see the transaction's unit (or every unit
/// for a province-wide read), writes must go into the transaction's unit, and a statement run with
/// no unit in scope fails ("no unit in scope") instead of silently seeing nothing. The policy is
/// forced, so it holds for the service's own role, which owns the table.
public enum UnitScope {
    /// `ALTER TABLE … ENABLE/FORCE ROW LEVEL SECURITY` and the policy, for `table` (unqualified,
    /// in the migrating schema). The functions are evaluated once per statement (init plans).
    public static func rowLevelSecurity(on table: String) -> String {
        precondition(table.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }, "table name \(table)")
        return """
            ALTER TABLE \(table) ENABLE ROW LEVEL SECURITY;
            ALTER TABLE \(table) FORCE ROW LEVEL SECURITY;
            CREATE POLICY unit_scope ON \(table)
                USING ((SELECT scope.readable_unit()) IS NULL OR unit_code = (SELECT scope.readable_unit()))
                WITH CHECK (unit_code = (SELECT scope.unit()));
            """
    }

    /// The statement that opens a transaction's scope: `set_config(…, true)` lasts until it ends.
    static let setScopeSQL = "SELECT set_config('motcua.unit', $1, true), set_config('motcua.read_all', $2, true)"

    static func parameters(_ scope: DataScope) -> [any PostgresEncodable] {
        [scope.unit ?? "", scope.readsAllUnits ? "on" : "off"]
    }
}
