/// Which units' rows a transaction may read and write (ARCHITECTURE §6: units are tenants).
///
/// A unit's staff work in their unit; a province-wide principal reads every unit and writes into
/// one only when it names it. The toolkit turns the scope into the transaction settings that the
/// row-level security of every unit table reads (`scope.unit()`, `scope.readable_unit()`).
public struct DataScope: Sendable, Hashable, CustomStringConvertible {
    /// The unit written to, and the only one read unless `readsAllUnits`.
    public let unit: String?
    /// Whether rows of every unit are visible.
    public let readsAllUnits: Bool

    private init(unit: String?, readsAllUnits: Bool) {
        self.unit = unit
        self.readsAllUnits = readsAllUnits
    }

    /// One unit's rows only.
    public static func unit(_ code: String) -> DataScope { DataScope(unit: code, readsAllUnits: false) }

    /// Every unit's rows, read only: a write fails, since it names no unit.
    public static let allUnits = DataScope(unit: nil, readsAllUnits: true)

    /// Every unit's rows readable, writes going into `code`.
    public static func allUnits(writingIn code: String) -> DataScope { DataScope(unit: code, readsAllUnits: true) }

    public var description: String {
        switch (unit, readsAllUnits) {
        case (let unit?, false): "unit \(unit)"
        case (let unit?, true): "all units, writing in \(unit)"
        default: "all units, read only"
        }
    }
}
