import Foundation
import HTTP
import ServiceKit

/// The procedure catalogue's API (`/api/procedures`).
///
/// Listing and reading are public: the counter's staff and citizens on the online submission page
/// both choose a procedure, and nothing in the catalogue is personal. The catalogue is shared by
/// every unit of the deployment, so only a province admin creates and replaces a procedure; each
/// change is validated whole (one 422), audited, and clears the demo mark. A unit's admin switches
/// a procedure off (or on again) for its own unit only: online filing to it is then refused.
enum ProcedureRoutes {
    /// Who may edit the catalogue.
    static let editors: Set<StaffRole> = [.provinceAdmin]

    /// Adds the catalogue's routes to `router`.
    static func add(to router: Router<ServiceRequestContext>) {
        let catalogue = router.group("/api/procedures")
        catalogue.get("", list)
        catalogue.get(":code", show)
        let editing = catalogue.add(middleware: RequireStaff(roles: editors)).add(middleware: Idempotency())
        editing.post("", create)
        editing.put(":code", replace)
        catalogue.add(middleware: RequireStaff(.admin)).put(":code/offered", setOffered)
    }

    /// What a unit says of a procedure: whether it serves it.
    struct Offer: Codable {
        var offered: Bool?
    }

    /// `PUT /api/procedures/{code}/offered` `{"offered": false}`: the admin's unit stops (or
    /// resumes) serving the procedure; answers `{"offered": …}`, 404 when the catalogue has none.
    @Sendable static func setOffered(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let code = try request.require("code", as: String.self)
        guard let offered = try request.decode(Offer.self).offered else {
            throw ProblemError.unprocessable(
                detail: "Thiếu trường offered.",
                errors: [FieldError(field: "offered", code: "required", detail: "Chọn có hoặc không phục vụ thủ tục.")])
        }
        try await context.transaction { tx in
            guard try await ProcedureStore.procedure(code: code, in: tx) != nil else { throw notFound(code) }
            try await ProcedureStore.setOffered(code, offered, now: context.clock.now, in: tx)
            try await context.audit(
                offered ? "procedure.offered" : "procedure.withdrawn", subject: subject(code), in: tx)
        }
        return try .json(Offer(offered: offered))
    }

    /// `GET /api/procedures[?q=&field=&cursor=&limit=]`: `{items, nextCursor}` in order of name.
    @Sendable static func list(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let page = try PageRequest(query: request.query)
        let after = try page.after(ProcedureStore.ListKey.self)
        let search = request.query["q"].map {
            $0.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let field = request.query["field"]
        let rows = try await context.transaction(.allUnits) { tx in
            try await ProcedureStore.list(
                search: search?.isEmpty == false ? search : nil, field: field?.isEmpty == false ? field : nil,
                after: after, limit: page.fetchLimit, in: tx)
        }
        return try .json(Page(rows: rows, request: page) { ProcedureStore.ListKey(name: $0.name, code: $0.code) })
    }

    /// `GET /api/procedures/{code}`: the procedure, or a 404 problem.
    @Sendable static func show(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let code = try request.require("code", as: String.self)
        let procedure = try await context.transaction(.allUnits) { tx in
            try await ProcedureStore.procedure(code: code, in: tx)
        }
        guard let procedure else { throw notFound(code) }
        return try .json(procedure)
    }

    /// `POST /api/procedures`: 201 with the new procedure; 409 when its code is taken.
    @Sendable static func create(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let procedure = try request.decode(ProcedureDraft.self).validated()
        try await context.transaction(try editScope(context)) { tx in
            guard try await ProcedureStore.insert(procedure, now: context.clock.now, in: tx) else {
                throw ProblemError.conflict(
                    code: "procedure_exists", detail: "Đã có thủ tục mã \(procedure.code); hãy sửa thủ tục đó.")
            }
            try await context.audit("procedure.created", subject: subject(procedure.code), details: procedure, in: tx)
        }
        var response = try Response.json(procedure, status: 201)
        response.headers["Location"] = "/api/procedures/\(procedure.code)"
        return response
    }

    /// `PUT /api/procedures/{code}`: replaces the procedure (the code stays), answers it; 404 when none.
    @Sendable static func replace(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let code = try request.require("code", as: String.self)
        let procedure = try request.decode(ProcedureDraft.self).validated(code: code)
        try await context.transaction(try editScope(context)) { tx in
            guard let before = try await ProcedureStore.lockedProcedure(code: code, in: tx) else {
                throw notFound(code)
            }
            try await ProcedureStore.update(procedure, now: context.clock.now, in: tx)
            try await context.audit(
                "procedure.updated", subject: subject(code), details: Change(before: before, after: procedure), in: tx)
        }
        return try .json(procedure)
    }

    /// What an update's audit record keeps.
    private struct Change: Encodable {
        let before: Procedure
        let after: Procedure
    }

    /// The scope an edit runs in: the catalogue has no unit, but the audit record needs one — the
    /// province's own (`province:<code>`, as its staff rows). Editors are province admins only.
    private static func editScope(_ context: ServiceRequestContext) throws -> DataScope {
        guard case .province(let code) = try context.requirePrincipal().scope else {
            throw ProblemError.forbidden(
                code: "province_only", detail: "Chỉ quản trị cấp tỉnh được sửa danh mục thủ tục dùng chung.")
        }
        return .province(code, writingIn: StaffHome.province(code).unitCode)
    }

    private static func subject(_ code: String) -> String { "procedure:" + code }

    private static func notFound(_ code: String) -> ProblemError {
        .notFound(code: "procedure_not_found", detail: "Không có thủ tục mã \(code.prefix(40)) trong danh mục.")
    }
}
