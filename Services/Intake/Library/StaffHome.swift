import ServiceKit

/// Where a staff account belongs: one unit (its agency code), or a province. The staff tables
/// keep it in `unit_code`: the unit's code, or `province:<code>` for a province account, so
/// both fall under the same row-level security.
typealias StaffHome = StaffPrincipal.Scope

extension StaffPrincipal.Scope {
    static let provincePrefix = "province:"

    /// The home `unit_code` names.
    init(unitCode: String) {
        if unitCode.hasPrefix(Self.provincePrefix) {
            self = .province(String(unitCode.dropFirst(Self.provincePrefix.count)))
        } else {
            self = .unit(unitCode)
        }
    }

    /// The `unit_code` of the home's rows.
    var unitCode: String {
        switch self {
        case .unit(let code): code
        case .province(let code): Self.provincePrefix + code
        }
    }

    /// The roles an account of this home may hold: a unit's roles, or a province's.
    var assignableRoles: Set<StaffRole> {
        switch self {
        case .unit: [.receptionist, .handler, .leader, .statistician, .admin]
        case .province: [.provinceAdmin, .provinceStatistician]
        }
    }
}
