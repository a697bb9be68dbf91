import Domain
import Foundation
import HTML
import HTTP
import ServiceKit

/// motcua-intake's pages (ARCHITECTURE §7): the counter's (receive, my queue, a dossier with its
/// actions, the printed forms of TT 03/2025) and the citizens' (lookup, online submission,
/// rating). Each page calls the same functions as the JSON API; only the form and the HTML are its own.
struct IntakePages {
    let receipt: Receipt
    let step: DossierStep
    let cache: CalendarCache
    let publicRoutes: PublicRoutes
    /// `MOTCUA_PUBLIC_URL`, the address citizens reach the public pages at (the receipt's QR code
    /// links there); when unset, the address the request came to.
    let publicURL: String?

    /// Where a staff member signs in (the sign-in page is the staff slice's).
    static let signInPath = "/dang-nhap"

    init(
        receipt: Receipt, step: DossierStep, cache: CalendarCache,
        publicURL: String? = ProcessInfo.processInfo.environment["MOTCUA_PUBLIC_URL"]
    ) {
        self.receipt = receipt
        self.step = step
        self.cache = cache
        publicRoutes = PublicRoutes(receipt: receipt, cache: cache)
        self.publicURL = publicURL.flatMap { $0.isEmpty ? nil : String($0.reversed().drop { $0 == "/" }.reversed()) }
    }

    func add(to router: Router<ServiceRequestContext>, configuration: ServiceConfiguration) {
        let staff = router.group("/ho-so").add(middleware: PageProblem(audience: .staff)).add(
            middleware: RequireStaff())
        let queue = QueuePage(cache: cache)
        staff.get("") { request, context in try await queue.show(request, context) }
        let receive = ReceivePage(receipt: receipt, cache: cache)
        staff.get("/tiep-nhan", roles: [.receptionist]) { request, context in try await receive.show(request, context) }
        staff.post("/tiep-nhan", roles: [.receptionist]) { request, context in
            try await receive.submit(request, context)
        }
        let book = TrackingBook()
        staff.get("/so-theo-doi") { request, context in try await book.show(request, context) }
        let dossier = DossierPage(step: step, cache: cache)
        staff.get("/:code") { request, context in try await dossier.show(request, context) }
        staff.post("/:code/:action") { request, context in try await dossier.act(request, context) }
        let printed = PrintedForms(cache: cache, publicURL: publicURL)
        staff.get("/:code/in/:form") { request, context in try await printed.show(request, context) }

        // The citizens' pages answer within the same limit as the public API.
        let citizens = RateLimit.publicEndpoints(configuration).reduce(
            router.group("").add(middleware: PageProblem(audience: .citizen))
        ) { $0.add(middleware: $1) }
        let lookup = LookupPage(routes: publicRoutes)
        citizens.get("/tra-cuu") { request, context in try await lookup.show(request, context) }
        citizens.post("/tra-cuu") { request, context in try await lookup.submit(request, context) }
        let submission = SubmissionPage(routes: publicRoutes)
        citizens.get("/nop-truc-tuyen") { request, context in try await submission.show(request, context) }
        citizens.post("/nop-truc-tuyen") { request, context in try await submission.submit(request, context) }
        citizens.get("/nop-truc-tuyen/da-nop") { request, context in try await submission.done(request, context) }
        let rating = RatingPage(routes: publicRoutes)
        citizens.get("/danh-gia/:code") { request, context in try await rating.show(request, context) }
        citizens.post("/danh-gia/:code") { request, context in try await rating.submit(request, context) }
    }

    /// The frame of the counter's pages; an administrator's (`principal`) links to the staff accounts.
    static func staffLayout(unitName: String, for principal: StaffPrincipal? = nil) -> Layout {
        let accounts =
            principal?.hasAny(StaffRoutes.managers) == true
            ? [NavigationItem("Tài khoản cán bộ", path: StaffAccountsPage.path)] : []
        return Layout(
            unitName: unitName, serviceName: "Tiếp nhận và trả kết quả",
            navigation: [
                NavigationItem("Hồ sơ của tôi", path: "/ho-so"),
                NavigationItem("Tiếp nhận hồ sơ", path: "/ho-so/tiep-nhan"),
                NavigationItem("Sổ theo dõi", path: "/ho-so/so-theo-doi"),
                NavigationItem("Tra cứu", path: "/tra-cuu"),
            ] + accounts)
    }

    /// The frame of the citizens' pages.
    static func citizenLayout(unitName: String) -> Layout {
        Layout(
            unitName: unitName, serviceName: "Dịch vụ hành chính công",
            navigation: [
                NavigationItem("Tra cứu hồ sơ", path: "/tra-cuu"),
                NavigationItem("Nộp hồ sơ trực tuyến", path: "/nop-truc-tuyen"),
            ])
    }

    /// The unit's name as its header shows it (`units.name`), or its code when it is not registered.
    static func unitName(_ code: String, in tx: ScopedTransaction) async throws -> String {
        let name = try await tx.query("SELECT name FROM units WHERE unit_code = $1", [code]).first?.decode(
            String.self, at: 0)
        return name ?? "Đơn vị \(code)"
    }

    /// The unit the signed-in staff member works in (a province account: the deployment's unit).
    static func staffUnit(_ context: ServiceRequestContext) throws -> String {
        if case .unit(let code) = try context.requirePrincipal().scope { return code }
        return context.service.configuration.wardCode
    }

    /// The name of the staff member's unit, read in its own short transaction.
    static func staffUnitName(_ context: ServiceRequestContext) async throws -> String {
        let unit = try staffUnit(context)
        return try await context.transaction(.unit(unit)) { tx in try await unitName(unit, in: tx) }
    }

    /// A form post's fields by name (the last value of a repeated name).
    static func values(of request: Request) throws -> [String: String] {
        Dictionary(try request.form().items.map { ($0.name, $0.value) }) { _, last in last }
    }

    /// 303 See Other to `path`: after a successful post, the browser loads the result with a GET.
    static func redirect(to path: String) -> Response {
        Response(status: 303, headers: ["Location": path])
    }

    /// `a=1&b=x%20y` from name–value pairs, leaving out empty values.
    static func query(_ pairs: [(String, String?)]) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return pairs.compactMap { name, value in
            guard let value, !value.isEmpty else { return nil }
            return name + "=" + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
        }.joined(separator: "&")
    }
}
