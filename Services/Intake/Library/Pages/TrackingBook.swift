import Domain
import Foundation
import HTML
import HTTP
import ServiceKit

/// `/ho-so/so-theo-doi?from=&to=`: form 07, Sổ theo dõi hồ sơ — the unit's dossiers received in a
/// date range (today by default, at most 31 days), in order of receipt, printable on A4.
struct TrackingBook {
    static let path = "/ho-so/so-theo-doi"
    static let longestRange = 31

    /// One line of the book.
    struct Line {
        let code: DossierCode
        let procedureName: String
        let applicantName: String
        let address: String
        let phone: String
        let receivedAt: Date
        let appointmentDate: LocalDate?
        let returnedAt: Date?
        let status: DossierStatus
    }

    func show(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let today = VietnameseFormat.day(context.clock.now)
        var errors = FieldErrors()
        let from = Self.date(request.query["from"], field: "from", default: today, errors: &errors)
        let to = Self.date(request.query["to"], field: "to", default: from, errors: &errors)
        if to < from || to.dayNumber - from.dayNumber >= Self.longestRange {
            errors.add(
                field: "to", code: "invalid_range",
                detail: "Đến ngày phải sau từ ngày, trong vòng \(Self.longestRange) ngày.")
        }
        let unit = try IntakePages.staffUnit(context)
        let (unitName, lines) = try await context.transaction { tx in
            (
                try await IntakePages.unitName(unit, in: tx),
                errors.isEmpty ? try await Self.lines(from: from, to: to, in: tx) : []
            )
        }
        let form = Form(
            action: Self.path,
            values: ["from": request.query["from"] ?? from.iso, "to": request.query["to"] ?? to.iso],
            errors: errors.all)
        let filter: HTML = """
            <form class="filters no-print" method="get" action="\(Self.path)" aria-label="Chọn khoảng ngày">
            \(form.text("from", label: "Từ ngày", type: .date))\(form.text("to", label: "Đến ngày", type: .date))\
            <div class="form-actions"><button class="button button--secondary" type="submit">Xem sổ</button></div>
            </form>
            """
        let rows = lines.enumerated().map { index, line -> HTML in
            """
            <tr><td>\(index + 1)</td><td><a href="/ho-so/\(line.code.value)">\(line.code.value)</a></td>\
            <td>\(line.procedureName)</td><td>01</td><td>\(line.applicantName)</td><td>\(line.address)<br>\(line.phone)</td>\
            <td>\(VietnameseFormat.dateTime(line.receivedAt))</td>\
            <td>\(line.appointmentDate.map(VietnameseFormat.date) ?? "—")</td>\
            <td>\(line.returnedAt.map(VietnameseFormat.dateTime) ?? "")</td><td></td>\
            <td>\(VietnameseFormat.status(line.status))</td></tr>
            """
        }
        let table: HTML = """
            <article class="document document--wide" aria-labelledby="tieu-de-so">
            <p class="document-upper">\(unitName) – Bộ phận tiếp nhận và trả kết quả</p>
            <p class="document-form">Mẫu số 07 – Thông tư 03/2025/TT-VPCP</p>
            <h2 class="document-title" id="tieu-de-so">Sổ theo dõi hồ sơ</h2>
            <p class="document-code">Từ ngày \(VietnameseFormat.date(from)) đến ngày \(VietnameseFormat.date(to)) – \(lines.count) hồ sơ</p>
            <div class="table-scroll"><table class="document-table">
            <thead><tr><th scope="col">STT</th><th scope="col">Mã hồ sơ</th><th scope="col">Tên thủ tục hành chính</th>\
            <th scope="col">Số lượng</th><th scope="col">Tên cá nhân, tổ chức</th><th scope="col">Địa chỉ, số điện thoại</th>\
            <th scope="col">Nhận hồ sơ</th><th scope="col">Hẹn trả</th><th scope="col">Trả kết quả</th>\
            <th scope="col">Ký nhận</th><th scope="col">Ghi chú</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            </article>
            """
        let page = IntakePages.staffLayout(unitName: unitName).page(
            title: "Sổ theo dõi hồ sơ", currentPath: Self.path, main: "\(filter)\(table)")
        return .page(page, status: errors.isEmpty ? 200 : 422)
    }

    private static func date(_ text: String?, field: String, default fallback: LocalDate, errors: inout FieldErrors)
        -> LocalDate
    {
        guard let text, !text.isEmpty else { return fallback }
        guard let date = LocalDate(iso: text) else {
            errors.add(field: field, code: "invalid_date", detail: "Ngày không hợp lệ.")
            return fallback
        }
        return date
    }

    /// The unit's dossiers received from `from` to `to` (Vietnam's days), in order of receipt.
    static func lines(from: LocalDate, to: LocalDate, in tx: ScopedTransaction) async throws -> [Line] {
        try await tx.query(
            """
            SELECT code, procedure->'summary'->>'name', applicant_name, applicant_address, applicant_phone, received_at,
                   coalesce(rescheduled_to, due_date), returned_at, status
            FROM dossiers
            WHERE received_at >= ($1::date)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
              AND received_at < ($2::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
            ORDER BY received_at, code
            """, [from, to]
        ).map { row in
            let (code, procedure, name, address, phone, receivedAt, appointment, returnedAt) = try row.decode(
                DossierCode.self, String.self, String.self, String.self, String.self, Date.self, LocalDate?.self,
                Date?.self)
            return Line(
                code: code, procedureName: procedure, applicantName: name, address: address, phone: phone,
                receivedAt: receivedAt, appointmentDate: appointment, returnedAt: returnedAt,
                status: try row.decode(DossierStatus.self, at: 8))
        }
    }
}
