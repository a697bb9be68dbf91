import Domain
import HTML
import HTTP
import ServiceKit

/// `/ho-so/{code}/in/{form}`: a dossier's printed form (`PrintedForm`) on an A4 page; the browser's
/// print command leaves out the page's frame (the stylesheet's print rules).
struct PrintedForms {
    let cache: CalendarCache
    let publicURL: String?

    func show(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let code = try request.require("code", as: DossierCode.self)
        guard let form = request.parameters["form"].flatMap(PrintedForm.init(rawValue:)) else {
            throw ProblemError.notFound(code: "unknown_form", detail: "Không có biểu mẫu này.")
        }
        let now = context.clock.now
        let (view, procedure, unitName) = try await context.transaction { tx in
            guard let record = try await DossierStore.find(code, in: tx) else { throw DossierStep.notFound(code) }
            return (
                try await DossierStore.view(record, clock: try await cache.clock(in: tx), now: now, in: tx),
                record.procedure, try await IntakePages.unitName(record.unitCode, in: tx)
            )
        }
        guard form.isAvailable(for: view) else {
            throw ProblemError.conflict(
                code: "form_not_available",
                detail:
                    "Hồ sơ \(code.value) đang ở trạng thái “\(view.status.vietnameseName)”, chưa có \(form.title.lowercased())."
            )
        }
        let document = PrintedDocument(
            view: view, procedure: procedure, unitName: unitName, printedOn: VietnameseFormat.day(now),
            lookupURL: lookupURL(of: code, request: request))
        let body: HTML =
            switch form {
            case .receiptSlip: try ReceiptSlip.render(document)
            case .supplementRequest: SupplementRequestSlip.render(document)
            case .refusal: RefusalSlip.render(document)
            case .apology: ApologyLetter.render(document)
            case .stopNotice: StopNotice.render(document)
            case .controlSlip: ControlSlip.render(document)
            }
        let main: HTML = """
            <p class="no-print toolbar"><a href="/ho-so/\(code.value)">← Hồ sơ \(code.value)</a> \
            <span class="muted">Dùng lệnh In của trình duyệt (Ctrl+P) để in trên khổ A4.</span></p>
            \(body)
            """
        return .page(
            IntakePages.staffLayout(unitName: unitName).page(title: "\(form.title) – \(code.value)", main: main))
    }

    /// `<public address>/tra-cuu?ma=<code>`: `MOTCUA_PUBLIC_URL`, else the address the request came to.
    func lookupURL(of code: DossierCode, request: Request) -> String {
        let base =
            publicURL ?? "\(request.headers["X-Forwarded-Proto"] ?? "http")://\(request.headers["Host"] ?? "localhost")"
        return "\(base)\(LookupPage.path)?ma=\(code.value)"
    }
}
