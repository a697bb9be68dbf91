/// What intake's check of a staff token found: whether its account and session still hold, and
/// the state of the unit it acts for.
struct TokenStanding: Sendable, Equatable {
    let sessionHolds: Bool
    let unit: UnitState
}

/// Whether a unit may act (its staff, online filing to it), as its row says.
enum UnitState: Sendable, Equatable {
    case open
    /// Closed (merged, dissolved): refused.
    case closed
    /// No row: refused unless it is the deployment's own unit, which exists by configuration.
    case unregistered

    /// From `units.disabled_at IS NULL` read for the unit: nil when it has no row.
    init(open: Bool?) {
        self = open.map { $0 ? .open : .closed } ?? .unregistered
    }

    /// Why `unit` may not act (a code and a Vietnamese detail), or nil when it may; `wardCode` is
    /// the deployment's own unit.
    func refusal(of unit: String, wardCode: String) -> (code: String, detail: String)? {
        switch self {
        case .open: nil
        case .unregistered where unit == wardCode: nil
        case .unregistered: ("unit_not_found", "Không có đơn vị \(unit.prefix(40)) trong hệ thống.")
        case .closed: ("unit_closed", "Đơn vị \(unit) đã ngừng hoạt động.")
        }
    }
}
