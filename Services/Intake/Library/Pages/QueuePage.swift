import Domain
import Foundation
import HTML
import HTTP
import ServiceKit

/// `/ho-so`: my queue, the unit's dossiers through `DossierQueue.page` (the API's code path):
/// online submissions waiting for acceptance first with their own colour and a "late" mark, then
/// by appointment date with the deadline colours (green on track, amber due within one working
/// day, red overdue); filters as a GET form and a keyset "next page" link.
struct QueuePage {
    let cache: CalendarCache

    static let path = "/ho-so"

    func show(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let filter = try DossierQueue.Filter(request.query)
        let page = try PageRequest(query: request.query, defaultLimit: 25)
        let now = context.clock.now
        let unit = try IntakePages.staffUnit(context)
        let (unitName, choices, rows) = try await context.transaction { tx in
            (
                try await IntakePages.unitName(unit, in: tx), try await ProcedureChoice.all(in: tx),
                try await DossierQueue.page(filter, page: page, clock: try await cache.clock(in: tx), now: now, in: tx)
            )
        }
        let filters: [(String, String?)] = [
            ("status", request.query["status"]), ("deadline", request.query["deadline"]),
            ("procedure", request.query["procedure"]), ("limit", request.query["limit"]),
        ]
        let list: HTML =
            rows.items.isEmpty
            ? "<p class=\"notice\">Không có hồ sơ nào theo điều kiện lọc.</p>"
            : "<ol class=\"queue\">\(rows.items.map(Self.row))</ol>"
        let next: HTML? = rows.nextCursor.map { cursor in
            let query = IntakePages.query(filters + [("cursor", cursor)])
            return
                "<p class=\"pager\"><a class=\"button button--secondary\" href=\"\(Self.path)?\(query)\">Trang sau</a></p>"
        }
        let first: HTML? =
            page.cursor == nil
            ? nil : "<p class=\"pager\"><a href=\"\(Self.path)?\(IntakePages.query(filters))\">Về trang đầu</a></p>"
        let main: HTML = "\(Self.filterForm(request.query, choices: choices))\(list)\(next)\(first)"
        return .page(
            IntakePages.staffLayout(unitName: unitName, for: context.principal).page(title: "Hồ sơ của tôi", currentPath: Self.path, main: main)
        )
    }

    /// Status, deadline and procedure, sent back as the query string.
    static func filterForm(_ query: QueryParameters, choices: [ProcedureChoice]) -> HTML {
        let form = Form(
            action: path,
            values: [
                "status": query["status"] ?? "", "deadline": query["deadline"] ?? "",
                "procedure": query["procedure"] ?? "",
            ])
        let statuses =
            [SelectOption("", label: "Tất cả")]
            + DossierStatus.allCases.map { SelectOption($0.rawValue, label: VietnameseFormat.status($0)) }
        let deadlines =
            [SelectOption("", label: "Tất cả")]
            + DeadlineState.allCases.map { SelectOption($0.rawValue, label: VietnameseFormat.deadline($0)) }
        let active = ["status", "deadline", "procedure"].contains { !(query[$0] ?? "").isEmpty }
        return """
            <details class="filters-box"\(active ? " open" : "" as HTML)><summary>Lọc hồ sơ</summary>
            <form class="filters" method="get" action="\(path)" aria-label="Lọc hồ sơ">
            \(form.select("status", label: "Trạng thái", options: statuses))\
            \(form.select("deadline", label: "Thời hạn", options: deadlines))\
            \(form.select("procedure", label: "Thủ tục", options: ProcedureChoice.options(choices, prompt: "Tất cả")))\
            <div class="form-actions"><button class="button button--secondary" type="submit">Lọc</button></div>
            </form>
            </details>
            """
    }

    /// One dossier: its code, procedure and applicant, and where it stands against its clock.
    static func row(_ dossier: DossierSummary) -> HTML {
        let (modifier, mark): (String, String) =
            if dossier.status == .submitted {
                ("waiting", dossier.acceptanceLate ? "Chờ tiếp nhận – quá hạn tiếp nhận" : "Chờ tiếp nhận")
            } else if let state = dossier.deadlineState {
                (VietnameseFormat.deadlineClass(state), VietnameseFormat.deadline(state))
            } else {
                ("closed", VietnameseFormat.status(dossier.status))
            }
        let late: HTML? = dossier.acceptanceLate ? " queue-item--late" : nil
        let due: HTML =
            if dossier.status == .submitted, let due = dossier.acceptanceDueAt {
                "Hạn tiếp nhận: \(VietnameseFormat.dateTime(due))"
            } else if let date = dossier.appointmentDate {
                "Hẹn trả: \(VietnameseFormat.dayAndDate(date))"
            } else {
                ""
            }
        return """
            <li class="queue-item queue-item--\(modifier)\(late)">
            <p class="queue-code"><a href="/ho-so/\(dossier.code.value)">\(dossier.code.value)</a></p>
            <p class="queue-procedure">\(dossier.procedureName)</p>
            <p class="queue-meta">\(dossier.applicantName) · \(VietnameseFormat.status(dossier.status))</p>
            <p class="queue-meta">\(due)</p>
            <p class="deadline deadline--\(modifier)">\(mark)</p>
            </li>
            """
    }
}
