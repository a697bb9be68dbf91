import HTTP
import ServiceKit

/// Who manages what: a unit's admin manages its own unit's accounts; a province admin manages
/// its province's units, their accounts, and the province's own accounts.
struct StaffAuthority {
    let principal: StaffPrincipal

    /// The scope the principal reads accounts and units in: its unit, or its province's units.
    var readScope: DataScope { principal.dataScope }

    /// The scope the principal writes into `home` in: for a province admin, its province's units
    /// readable and writes going into that home only. A home outside its province gets the
    /// province's read-only scope, in which the home is not found and nothing can be written (the
    /// database refuses a write unit outside the province).
    func writeScope(into home: StaffHome) -> DataScope {
        switch (principal.scope, home) {
        case (.unit, _): .unit(home.unitCode)
        case (.province(let code), .unit(let unit)) where UnitStore.province(of: unit) == code:
            .province(code, writingIn: home.unitCode)
        case (.province(let code), .province(let other)) where other == code: .province(code, writingIn: home.unitCode)
        case (.province(let code), _): .province(code)
        }
    }

    /// The province a province principal works in; nil for a unit's staff.
    var province: String? {
        if case .province(let code) = principal.scope { code } else { nil }
    }

    /// Throws 403 unless the principal manages `home`; `unitProvince` is the province of a unit home.
    func requireManages(_ home: StaffHome, unitProvince: String?) throws(ProblemError) {
        let allowed =
            switch (principal.scope, home) {
            case (.unit(let own), .unit(let target)): principal.roles.contains(.admin) && own == target
            case (.province(let own), .province(let target)): principal.roles.contains(.provinceAdmin) && own == target
            case (.province(let own), .unit): principal.roles.contains(.provinceAdmin) && unitProvince == own
            case (.unit, .province): false
            }
        guard allowed else {
            throw ProblemError.forbidden(
                code: "outside_your_units",
                detail: "Tài khoản chỉ quản lý được cán bộ và đơn vị thuộc phạm vi của mình.")
        }
    }
}
