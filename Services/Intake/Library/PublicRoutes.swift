import Domain
import Events
import Foundation
import HTTP
import Postgres
import ServiceKit

/// Citizens' API (`/api/public/dossiers`): online submission, the lookup by code and the last
/// digits of the phone, and the rating after return. A citizen proves a dossier by its code and
/// phone; the dossier's code names its unit, which scopes every statement.
struct PublicRoutes {
    let receipt: Receipt
    let cache: CalendarCache
    /// Wrong code/phone pairs one client may try in `lookupWindow` before being refused.
    static let lookupFailureLimit = 10
    static let lookupWindow: TimeInterval = 15 * 60

    /// An online submission's body: a receipt, for one of the deployment's units.
    struct Submission: Decodable, Sendable {
        var unitCode: String?
        var receipt: ReceiptRequest

        init(unitCode: String?, receipt: ReceiptRequest) {
            self.unitCode = unitCode
            self.receipt = receipt
        }

        init(from decoder: any Decoder) throws {
            receipt = try ReceiptRequest(from: decoder)
            unitCode = try decoder.container(keyedBy: Key.self).decodeIfPresent(String.self, forKey: .unitCode)
        }

        private enum Key: String, CodingKey { case unitCode }
    }

    struct RatingRequest: Decodable, Sendable {
        var phone: String?
        var score: Int?
        var comment: String?
    }

    func add(to router: Router<ServiceRequestContext>, configuration: ServiceConfiguration) {
        let public_ = RateLimit.publicEndpoints(configuration).reduce(router.group("/api/public/dossiers")) {
            $0.add(middleware: $1)
        }
        public_.add(middleware: Idempotency()).post("") { request, context in
            try .json(try await submit(try request.decode(Submission.self), context: context), status: 201)
        }
        public_.get(":code") { request, context in
            let code = try request.require("code", as: DossierCode.self)
            return try .json(
                try await lookup(
                    code, phone: request.query["phone"] ?? "", client: request.clientAddress, context: context))
        }
        public_.post(":code/rating") { request, context in
            let code = try request.require("code", as: DossierCode.self)
            try await rate(
                code, try request.decode(RatingRequest.self), client: request.clientAddress, context: context)
            return .noContent
        }
    }

    /// Receives an online submission in its unit (the deployment's unit when it names none) and
    /// answers what the public sees of it (the API and the submission page).
    func submit(_ submission: Submission, context: ServiceRequestContext) async throws -> PublicDossierView {
        let unit = submission.unitCode ?? context.service.configuration.wardCode
        guard DossierCode.isAgencyCode(unit) else {
            throw ProblemError.unprocessable(
                detail: "Mã đơn vị không hợp lệ.",
                errors: [FieldError(field: "unitCode", code: "invalid_format", detail: "Mã đơn vị không hợp lệ.")])
        }
        try await UnitStore.requireOpenForFiling(unit, procedureCode: submission.receipt.procedureCode, context: context)
        let view = try await receipt.receive(
            submission.receipt, channel: .online, receiver: .citizen, unit: unit, context: context)
        return try await context.transaction(.unit(unit)) { tx in
            guard let record = try await DossierStore.find(view.code, in: tx) else {
                throw DossierStep.notFound(view.code)
            }
            return try await Self.publicView(record, in: tx)
        }
    }

    /// What the public sees of dossier `code` proven by `phone` (the API and the lookup page).
    func lookup(_ code: DossierCode, phone: String, client: String?, context: ServiceRequestContext) async throws
        -> PublicDossierView
    {
        try await proven(code, phone: phone, client: client, context: context) { record, tx in
            try await Self.publicView(record, in: tx)
        }
    }

    /// Records a citizen's rating of dossier `code`: 1–5 and a comment, once, after return (the API
    /// and the rating page).
    func rate(_ code: DossierCode, _ body: RatingRequest, client: String?, context: ServiceRequestContext)
        async throws
    {
        var errors = FieldErrors()
        if !(1...5).contains(body.score ?? 0) {
            errors.add(field: "score", code: "out_of_range", detail: "Điểm đánh giá từ 1 đến 5.")
        }
        if (body.comment?.count ?? 0) > 2000 {
            errors.add(field: "comment", code: "too_long", detail: "Góp ý dài quá 2000 ký tự.")
        }
        try errors.throwIfAny()
        let now = context.clock.now
        try await proven(code, phone: body.phone ?? "", client: client, context: context) {
            record, tx in
            guard record.status == .returned else {
                throw DomainError(
                    code: "rating_not_open", message: "Chỉ đánh giá được sau khi đã nhận kết quả.", kind: .conflict)
            }
            let comment = body.comment.flatMap { $0.isEmpty ? nil : $0 }
            let inserted = try await tx.execute(
                """
                INSERT INTO ratings (dossier_code, unit_code, score, comment, submitted_at) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT DO NOTHING
                """, [code, record.unitCode, body.score!, comment, now])
            guard inserted == 1 else {
                throw DomainError(code: "already_rated", message: "Hồ sơ này đã được đánh giá.", kind: .conflict)
            }
            try await tx.publish(
                RatingSubmitted(
                    ratingId: "dossier:\(code.value)", subject: .dossier, subjectId: code.value, score: body.score!,
                    comment: comment, submittedAt: now), key: code.value)
            try await tx.audit(
                actor: .citizen(dossier: code), action: "dossier.rated", subject: code.value,
                details: ["score": String(body.score!)], requestId: context.requestId)
        }
    }

    /// Runs `body` on the dossier `code` when `phone` holds the last 4 (or more) digits of its
    /// applicant's phone; otherwise records the failure and answers 404 alike for a wrong code and
    /// a wrong phone, or 429 once the client failed too often.
    private func proven<R>(
        _ code: DossierCode, phone: String, client: String?, context: ServiceRequestContext,
        _ body: (DossierRecord, ScopedTransaction) async throws -> R
    ) async throws -> R {
        let client = client ?? "unknown"
        let now = context.clock.now
        let digits = phone.filter(\.isNumber)
        let found: R? = try await context.transaction(.unit(code.agency)) { tx in
            // The client's recent failures and the dossier in one round trip (with the BEGIN).
            let rows = try await tx.pipeline([
                (
                    "SELECT count(*) FROM lookup_failures WHERE client = $1 AND at > $2",
                    [client, now.addingTimeInterval(-Self.lookupWindow)]
                ),
                ("SELECT \(DossierRecord.columns) FROM dossiers WHERE code = $1", [code]),
            ])
            guard try rows[0].single().decode(Int.self, at: 0) < Self.lookupFailureLimit else {
                throw ProblemError(
                    status: 429, code: "too_many_failed_lookups", title: "Quá nhiều lần tra cứu sai",
                    detail: "Đã tra cứu sai quá nhiều lần. Vui lòng thử lại sau 15 phút.")
            }
            guard digits.count >= 4, let record = try rows[1].first.map(DossierRecord.init),
                record.applicant.phone.hasSuffix(digits)
            else { return nil }
            return try await body(record, tx)
        }
        if let found { return found }
        try await context.service.pool.query(
            "INSERT INTO lookup_failures (client, at) VALUES ($1, $2)", [client, now])
        throw DomainError(
            code: "dossier_not_found",
            message: "Không tìm thấy hồ sơ với mã và số điện thoại này. Kiểm tra lại mã hồ sơ và 4 số cuối điện thoại.",
            kind: .notFound)
    }

    /// What the public sees of a dossier: its status and dates, what is missing, nothing personal.
    static func publicView(_ record: DossierRecord, in tx: ScopedTransaction) async throws -> PublicDossierView {
        let code = record.code
        var missing: [String] = []
        var reason: String?
        if record.status == .supplementRequested {
            let step = try await tx.query(
                "SELECT reason FROM dossier_timeline WHERE dossier_code = $1 AND action = 'request_supplement' ORDER BY id DESC LIMIT 1",
                [code]
            ).first
            reason = try step?.decode(String?.self, at: 0)
            let given = Set(try await DossierStore.components(of: code, in: tx).map(\.code))
            let procedure = try await ProcedureStore.procedure(code: record.procedure.code, in: tx)
            missing = (procedure?.components ?? []).filter { $0.required && !given.contains($0.code) }.map(\.name)
        }
        let outstanding = record.feeDue - record.feePaid
        var rated = false
        if record.status == .returned {
            rated = try await tx.query("SELECT 1 FROM ratings WHERE dossier_code = $1", [code]).first != nil
        }
        return PublicDossierView(
            code: code, status: record.status, statusName: record.status.vietnameseName,
            procedureName: record.procedure.name, appointmentDate: record.deadline?.appointmentDate, missing: missing,
            supplementReason: reason, feeOutstanding: outstanding > .zero ? outstanding : .zero,
            canRate: record.status == .returned && !rated)
    }
}
