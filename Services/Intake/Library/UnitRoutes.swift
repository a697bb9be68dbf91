import Domain
import Foundation
import HTTP
import ServiceKit

/// `/api/units`: the wards and communes this deployment serves. Any staff member lists the
/// units they read; a province admin registers, renames and closes its province's units, whose
/// codes start with the province's. A unit registers only with a code of the province's unit
/// catalogue (`UnitCatalogue`), under the catalogue's name. Each change is audited; a
/// registration or a new name is published as `unit.registered` in the unit's own scope.
struct UnitRoutes: Sendable {
    func addRoutes(to router: Router<ServiceRequestContext>) {
        let units = router.group("/api/units").add(middleware: RequireStaff())
        units.post("", roles: [.provinceAdmin], register)
        units.get("", list)
        units.add("PATCH", ":code", roles: [.provinceAdmin], rename)
        units.add("PUT", ":code", roles: [.provinceAdmin], rename)
        units.post(":code/close", roles: [.provinceAdmin], close)
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
        let name = body.name.map { Self.checkedName($0, into: &errors) }
        let province = body.provinceCode ?? authority.province ?? ""
        if !UnitStore.isProvinceCode(province) {
            errors.add(
                field: "provinceCode", code: "invalid_format", detail: "Mã tỉnh gồm chữ in hoa và chữ số, ví dụ 01.")
        }
        try errors.throwIfAny()
        try authority.requireManages(.unit(code), unitProvince: province)
        guard UnitStore.isUnitCode(code, of: province) else {
            throw ProblemError.unprocessable(
                detail: "Mã đơn vị không thuộc tỉnh \(province).",
                errors: [
                    FieldError(
                        field: "code", code: "not_in_province",
                        detail: "Mã đơn vị gồm mã tỉnh \(province) và hai nhóm hai chữ số, ví dụ \(province).40.23.")
                ])
        }
        let unit = try await context.transaction(authority.writeScope(into: .unit(code))) { tx in
            let listed = try await Self.catalogueUnit(code, named: name, in: tx)
            guard let unit = try await UnitStore.register(name: listed.name, provinceCode: province, in: tx) else {
                throw ProblemError.conflict(code: "unit_exists", detail: "Đơn vị \(code) đã có trong hệ thống.")
            }
            try await context.audit(
                "unit.registered", subject: "unit:\(code)", details: ["name": listed.name, "provinceCode": province],
                in: tx)
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
        let unit = try await context.transaction(try Self.scope(managing: code, by: authority)) { tx in
            guard let current = try await UnitStore.unit(code, in: tx) else { throw Self.notFound(code) }
            guard let renamed = try await UnitStore.rename(to: name, in: tx) else { throw Self.notFound(code) }
            try await context.audit(
                "unit.renamed", subject: "unit:\(code)", details: ["from": current.name, "to": name], in: tx)
            return renamed
        }
        return try .json(unit)
    }

    /// `POST /api/units/{code}/close`: the unit closes (merged, dissolved); its staff are refused
    /// from then on (`ActiveUnit`), and so is online filing to it. Its rows stay.
    @Sendable func close(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let code = try request.require("code", as: String.self)
        let authority = StaffAuthority(principal: try context.requirePrincipal())
        let unit = try await context.transaction(try Self.scope(managing: code, by: authority)) { tx in
            guard let closed = try await UnitStore.close(in: tx) else { throw Self.notFound(code) }
            try await context.audit("unit.closed", subject: "unit:\(code)", in: tx)
            return closed
        }
        return try .json(unit)
    }

    /// The scope a province admin changes unit `code` in; 403 unless the code is its province's
    /// (the database would refuse the scope), 404 when it is no unit code at all.
    private static func scope(managing code: String, by authority: StaffAuthority) throws -> DataScope {
        guard DossierCode.isAgencyCode(code) else { throw notFound(code) }
        try authority.requireManages(.unit(code), unitProvince: UnitStore.province(of: code))
        return authority.writeScope(into: .unit(code))
    }

    /// The catalogue's line for `code`, whose name is the unit's: 422 on `code` when the code is not
    /// in the catalogue (`unit_not_in_catalogue`), on `name` when a name is given that is not the
    /// catalogue's (`not_the_catalogue_name`).
    private static func catalogueUnit(_ code: String, named name: String?, in tx: ScopedTransaction) async throws
        -> CatalogueUnit
    {
        guard let listed = try await UnitCatalogue.unit(code, in: tx) else {
            let detail =
                "Mã \(code) không có trong danh mục đơn vị hành chính của tỉnh; chỉ đăng ký được mã trong danh mục."
            throw ProblemError.unprocessable(
                detail: detail, errors: [FieldError(field: "code", code: "unit_not_in_catalogue", detail: detail)])
        }
        if let name, name != listed.name {
            let detail = "Tên đơn vị \(code) theo danh mục là “\(listed.name)”: để trống tên hoặc nhập đúng tên này."
            throw ProblemError.unprocessable(
                detail: detail, errors: [FieldError(field: "name", code: "not_the_catalogue_name", detail: detail)])
        }
        return listed
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
