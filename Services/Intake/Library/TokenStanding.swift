/// What intake's check of a staff token found: whether its account and session still hold, and
/// the state of the unit it acts for.
struct TokenStanding: Sendable, Equatable {
    /// The state of a staff member's unit.
    enum UnitState: Sendable, Equatable {
        case open
        /// Closed (merged, dissolved): its staff are refused.
        case closed
        /// No row: refused unless it is the deployment's own unit, which exists by configuration.
        case unregistered
    }

    let sessionHolds: Bool
    let unit: UnitState
}
