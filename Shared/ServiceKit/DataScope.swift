/// Which units' rows a transaction may read and write (ARCHITECTURE §6: units are tenants).
///
/// A unit's staff work in their unit; a province's staff read the units of their province and
/// write into one only when they name it; the system (consumers, the public catalogue) may read
/// every unit. The toolkit turns the scope into the transaction settings that the row-level
/// security of every unit table reads (`scope.unit()`, `scope.readable_unit()`,
/// `scope.readable_province()`), so the database enforces it.
public struct DataScope: Sendable, Hashable, CustomStringConvertible {
    /// The unit written to, and the only one read unless `province` or `readsAllUnits` says more.
    public let unit: String?
    /// The province whose units are read (a unit's province is its code's first segment).
    public let province: String?
    /// Whether rows of every unit are visible.
    public let readsAllUnits: Bool

    private init(unit: String?, province: String? = nil, readsAllUnits: Bool) {
        self.unit = unit
        self.province = province
        self.readsAllUnits = readsAllUnits
    }

    /// One unit's rows only.
    public static func unit(_ code: String) -> DataScope { DataScope(unit: code, readsAllUnits: false) }

    /// The units of province `code` (and the province's own rows, `province:<code>`), read only: a
    /// write fails, since it names no unit.
    public static func province(_ code: String) -> DataScope {
        DataScope(unit: nil, province: code, readsAllUnits: false)
    }

    /// The units of province `code` readable, writes going into `unit`, which must be one of them
    /// (the database refuses any other).
    public static func province(_ code: String, writingIn unit: String) -> DataScope {
        DataScope(unit: unit, province: code, readsAllUnits: false)
    }

    /// Every unit's rows, read only: for the system (a consumer, the public catalogue), never a
    /// signed-in principal's. A write fails, since it names no unit.
    public static let allUnits = DataScope(unit: nil, readsAllUnits: true)

    /// Every unit's rows readable, writes going into `code`: for the system only.
    public static func allUnits(writingIn code: String) -> DataScope { DataScope(unit: code, readsAllUnits: true) }

    public var description: String {
        switch (unit, province, readsAllUnits) {
        case (let unit?, nil, false): "unit \(unit)"
        case (nil, let province?, _): "province \(province), read only"
        case (let unit?, let province?, _): "province \(province), writing in \(unit)"
        case (let unit?, nil, true): "all units, writing in \(unit)"
        default: "all units, read only"
        }
    }
}
