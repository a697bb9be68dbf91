import Domain
import HTTP
import ServiceKit

/// Staff's dossier API: receipt, the queue, one dossier, and its steps.
struct DossierRoutes {
    let receipt: Receipt
    let step: DossierStep
    let cache: CalendarCache

    func add(to router: Router<ServiceRequestContext>) {
        let dossiers = router.group("/api/dossiers").add(middleware: RequireStaff()).add(middleware: Idempotency())
        dossiers.post("", roles: [.receptionist]) { request, context in
            let body = try request.decode(ReceiptRequest.self)
            let channel = body.channel ?? .counter
            let view = try await receipt.receive(
                body, channel: channel, receiver: .staff(try context.requirePrincipal()),
                unit: try Self.writingUnit(context), context: context)
            var response = try Response.json(view, status: 201)
            response.headers["Location"] = "/api/dossiers/\(view.code.value)"
            return response
        }
        dossiers.get("") { request, context in
            let filter = try DossierQueue.Filter(request.query)
            let page = try PageRequest(query: request.query)
            let now = context.clock.now
            return try .json(
                try await context.transaction { tx in
                    try await DossierQueue.page(
                        filter, page: page, clock: try await cache.clock(in: tx), now: now, in: tx)
                })
        }
        dossiers.get(":code") { request, context in
            let code = try request.require("code", as: DossierCode.self)
            let now = context.clock.now
            return try .json(
                try await context.transaction { tx in
                    guard let record = try await DossierStore.find(code, in: tx) else {
                        throw DossierStep.notFound(code)
                    }
                    return try await DossierStore.view(record, clock: try await cache.clock(in: tx), now: now, in: tx)
                })
        }
        dossiers.post(":code/:action") { request, context in
            let code = try request.require("code", as: DossierCode.self)
            guard let action = request.parameters["action"].flatMap(DossierAction.init(pathSegment:)) else {
                throw ProblemError.notFound(
                    code: "unknown_action",
                    detail: "Không có thao tác “\(request.parameters["action"] ?? "")” với hồ sơ.")
            }
            try Self.authorize(action, context)
            let body = request.body.isEmpty ? StepRequest() : try request.decode(StepRequest.self)
            return try .json(try await step.take(action, on: code, request: body, context: context))
        }
    }

    /// A 403 problem unless the principal holds one of the roles `action` needs (the API and the pages).
    static func authorize(_ action: DossierAction, _ context: ServiceRequestContext) throws {
        guard try context.requirePrincipal().hasAny(DossierStep.roles[action] ?? []) else {
            throw ProblemError.forbidden(
                code: "role_required",
                detail: "Thao tác “\(action.vietnameseName)” cần vai trò: "
                    + (DossierStep.roles[action] ?? []).map(\.vietnameseName).sorted().joined(separator: ", ") + "."
            )
        }
    }

    /// The unit a receipt goes into: the principal's; a province account must work in a unit's name.
    static func writingUnit(_ context: ServiceRequestContext) throws -> String {
        guard case .unit(let unit) = try context.requirePrincipal().scope else {
            throw ProblemError.forbidden(
                code: "unit_required",
                detail: "Tài khoản cấp tỉnh không tiếp nhận hồ sơ; hãy dùng tài khoản của phường, xã.")
        }
        return unit
    }
}
