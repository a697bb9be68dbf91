import Domain
import Foundation
import HTTP
import ServiceKit

/// `/api/units`: the wards and communes this deployment serves. Any staff member lists the
/// units they read; a province admin registers and renames its province's units. Each change is
/// audited and published as `unit.registered` in the unit's own scope.
struct UnitRoutes: Sendable {
    func addRoutes(to router: Router<ServiceRequestContext>) {
        let units = router.group("/api/units").add(middleware: RequireStaff())
        units.post("", roles: [.provinceAdmin], register)
        units.get("", list)
        units.add("PATCH", ":code", roles: [.provinceAdmin], rename)
        units.add("PUT", ":code", roles: [.provinceAdmin], rename)
    }

    struct NewUnit: Decodable {
        var code: String?
        var name: String?
        var provinceCode: String?
    }

    struct Renaming: Decodable {
        var name: String?
    }

    @Sendable func register(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let body = try request.decode(NewUnit.self)
        let authority = StaffAuthority(principal: try context.requirePrincipal())
        var errors = FieldErrors()
        let code = (body.code ?? "").trimmingCharacters(in: .whitespaces)
        if !DossierCode.isAgencyCode(code) {
            errors.add(
                field: "code", code: "invalid_format",
                detail:
                    "Mã đơn vị phải là mã cơ quan: các nhóm chữ in hoa và chữ số ngăn cách bởi dấu chấm, ví dụ H01.40.23."
            )
        }
        let name = Self.checkedName(body.name, into: &errors)
        let province = body.provinceCode ?? authority.province ?? ""
        if !UnitStore.isProvinceCode(province) {
            errors.add(
                field: "provinceCode", code: "invalid_format", detail: "Mã tỉnh gồm chữ in hoa và chữ số, ví dụ 01.")
        }
        try errors.throwIfAny()
        try authority.requireManages(.unit(code), unitProvince: province)
        let unit = try await context.transaction(.allUnits(writingIn: code)) { tx in
            guard let unit = try await UnitStore.register(name: name, provinceCode: province, in: tx) else {
                throw ProblemError.conflict(code: "unit_exists", detail: "Đơn vị \(code) đã có trong hệ thống.")
            }
            try await context.audit(
                "unit.registered", subject: "unit:\(code)", details: ["name": name, "provinceCode": province], in: tx)
            return unit
        }
        return try .json(unit, status: 201)
    }

    @Sendable func list(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let authority = StaffAuthority(principal: try context.requirePrincipal())
        let page = try PageRequest(query: request.query)
        let after = try page.after(String.self)
        let units = try await context.transaction(authority.readScope) { tx in
            try await UnitStore.list(after: after, limit: page.fetchLimit, province: authority.province, in: tx)
        }
        return try .json(Page(rows: units, request: page, key: \.code))
    }

    @Sendable func rename(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let code = try request.require("code", as: String.self)
        let body = try request.decode(Renaming.self)
        let authority = StaffAuthority(principal: try context.requirePrincipal())
        var errors = FieldErrors()
        let name = Self.checkedName(body.name, into: &errors)
        try errors.throwIfAny()
        let unit = try await context.transaction(.allUnits(writingIn: code)) { tx in
            guard let current = try await UnitStore.unit(code, in: tx) else { throw Self.notFound(code) }
            try authority.requireManages(.unit(code), unitProvince: current.provinceCode)
            guard let renamed = try await UnitStore.rename(to: name, in: tx) else { throw Self.notFound(code) }
            try await context.audit(
                "unit.renamed", subject: "unit:\(code)", details: ["from": current.name, "to": name], in: tx)
            return renamed
        }
        return try .json(unit)
    }

    /// The trimmed name, noting in `errors` when it is empty or too long.
    private static func checkedName(_ name: String?, into errors: inout FieldErrors) -> String {
        let name = (name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty {
            errors.add(field: "name", code: "required", detail: "Vui lòng nhập tên đơn vị.")
        } else if name.count > 200 {
            errors.add(field: "name", code: "too_long", detail: "Tên đơn vị không được dài quá 200 ký tự.")
        }
        return name
    }

    private static func notFound(_ code: String) -> ProblemError {
        .notFound(code: "unit_not_found", detail: "Không có đơn vị \(code).")
    }
}
