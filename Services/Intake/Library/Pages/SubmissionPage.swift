import Domain
import HTML
import HTTP
import ServiceKit

/// `/nop-truc-tuyen`: a citizen files a dossier online — the unit and the procedure (a GET form),
/// then the applicant and the components — through `PublicRoutes.submit` (the API's code path).
/// The answer is the dossier's code and how to look it up; a receptionist accepts it within 8
/// working hours.
struct SubmissionPage {
    let routes: PublicRoutes

    static let path = "/nop-truc-tuyen"

    func show(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        try await render(
            unit: request.query["don-vi"], procedureCode: request.query["thu-tuc"].flatMap { $0.isEmpty ? nil : $0 },
            values: [:], context)
    }

    func submit(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let values = try IntakePages.values(of: request)
        let unit = values["unitCode"] ?? context.service.configuration.wardCode
        let code = values["procedureCode"] ?? ""
        let procedure = try await context.transaction(.unit(context.service.configuration.wardCode)) { tx in
            try await ReceivePage.activeProcedure(code, in: tx)
        }
        var errors = FieldErrors()
        var body = ReceivePage.receiptRequest(values, procedure: procedure, errors: &errors)
        body.channel = .online
        do {
            guard errors.isEmpty else {
                _ = Receipt.validate(body.applicant, into: &errors)
                throw errors.problem
            }
            let view = try await routes.submit(.init(unitCode: unit, receipt: body), context: context)
            return IntakePages.redirect(to: "\(Self.path)/da-nop?ma=\(view.code.value)")
        } catch let problem as ProblemError where problem.errors != nil {
            return try await render(
                unit: unit, procedureCode: code, values: values, errors: problem.errors ?? [], status: 422, context)
        }
    }

    /// The submission's receipt: the code and how to look it up (nothing personal: the code alone).
    func done(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let code = try DossierCode(parsing: request.query["ma"] ?? "")
        let main: HTML = """
            <div class="notice notice--success" role="status">
            <p>Hồ sơ của Ông/Bà đã được gửi. Mã hồ sơ:</p>
            <p class="big-code">\(code.value)</p>
            </div>
            <p>Bộ phận tiếp nhận và trả kết quả sẽ xem xét, tiếp nhận hồ sơ trong 8 giờ làm việc; thời hạn giải quyết \
            được tính từ khi tiếp nhận. Nếu hồ sơ cần bổ sung, Ông/Bà sẽ được thông báo rõ lý do.</p>
            <p>Ghi lại mã hồ sơ. Để theo dõi, vào trang Tra cứu hồ sơ và nhập mã hồ sơ cùng 4 số cuối số điện thoại đã khai.</p>
            <p><a class="button" href="\(LookupPage.path)?ma=\(code.value)">Tra cứu hồ sơ này</a></p>
            """
        return .page(
            IntakePages.citizenLayout(unitName: try await Self.deploymentUnitName(context)).page(
                title: "Đã nộp hồ sơ trực tuyến", currentPath: Self.path, main: main))
    }

    private func render(
        unit: String?, procedureCode: String?, values: [String: String], errors: [FieldError] = [],
        status: Int = 200, _ context: ServiceRequestContext
    ) async throws -> Response {
        let ward = context.service.configuration.wardCode
        let (units, choices, procedure) = try await context.transaction(.allUnits(writingIn: ward)) { tx in
            (
                try await Self.units(in: tx, default: ward), try await ProcedureChoice.all(in: tx),
                procedureCode == nil ? nil : try await ReceivePage.activeProcedure(procedureCode!, in: tx)
            )
        }
        let chosenUnit = units.first { $0.value == unit }?.value ?? units[0].value
        let choose = Form(
            action: Self.path, values: ["don-vi": chosenUnit, "thu-tuc": procedureCode ?? ""],
            errors: procedureCode != nil && procedure == nil
                ? [
                    FieldError(
                        field: "thu-tuc", code: "unknown_procedure", detail: "Không có thủ tục này trong danh mục.")
                ]
                : [])
        var main: HTML = """
            <form class="form form--inline" method="get" action="\(Self.path)">
            \(units.count > 1 ? choose.select("don-vi", label: "Nơi nộp hồ sơ", options: units) : choose.hidden("don-vi", value: chosenUnit))\
            \(choose.select("thu-tuc", label: "Bước 1. Thủ tục hành chính", options: ProcedureChoice.options(choices)))\
            <div class="form-actions"><button class="button button--secondary" type="submit">Chọn thủ tục</button></div>
            </form>
            """
        if let procedure {
            let form = Form(
                action: Self.path, values: ReceivePage.defaults(values, procedure: procedure), errors: errors)
            main = """
                \(main)\(ReceivePage.summary(procedure, appointment: nil))\
                \(ReceivePage.receiptForm(
                    form, procedure: procedure, channels: [], hidden: ["unitCode": chosenUnit], submit: "Nộp hồ sơ"))
                """
        }
        let unitName = units.first { $0.value == chosenUnit }?.label ?? "Đơn vị \(chosenUnit)"
        return .page(
            IntakePages.citizenLayout(unitName: unitName).page(
                title: "Nộp hồ sơ trực tuyến", currentPath: Self.path, main: main),
            status: status)
    }

    /// The units a citizen may file with, by name; the deployment's own when none is registered.
    static func units(in tx: ScopedTransaction, default ward: String) async throws -> [SelectOption] {
        let units = try await tx.query("SELECT unit_code, name FROM units ORDER BY name").map {
            let (code, name) = try $0.decode(String.self, String.self)
            return SelectOption(code, label: name)
        }
        return units.isEmpty ? [SelectOption(ward, label: "Đơn vị \(ward)")] : units
    }

    /// The deployment's unit's name, for the citizens' pages' header.
    static func deploymentUnitName(_ context: ServiceRequestContext) async throws -> String {
        let ward = context.service.configuration.wardCode
        return try await context.transaction(.unit(ward)) { tx in try await IntakePages.unitName(ward, in: tx) }
    }
}
