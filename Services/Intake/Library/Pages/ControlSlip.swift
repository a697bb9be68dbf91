import Domain
import HTML

/// Form 06, Phiếu kiểm soát quá trình giải quyết hồ sơ: the dossier's timeline as its table — who
/// handed over and who received at each step, when, and whether it was before, on or after the
/// due date.
enum ControlSlip {
    static func render(_ document: PrintedDocument) -> HTML {
        let view = document.view
        let rows = view.timeline.map { step -> HTML in
            let day = VietnameseFormat.day(step.at)
            let outcome: String =
                if let due = view.appointmentDate, view.receivedAt != nil, step.action != "submit" {
                    day < due ? "Trước hạn" : day == due ? "Đúng hạn" : "Quá hạn"
                } else {
                    "—"
                }
            let reason: HTML? = step.reason.map { "<br>\($0)" }
            return """
                <tr><td>\(VietnameseFormat.step(step.action))<br><span class="muted">\(step.actorName ?? step.actor)</span></td>\
                <td>\(VietnameseFormat.timeWords(step.at))</td><td>\(outcome)</td>\
                <td>\(VietnameseFormat.status(step.toStatus))\(reason)</td></tr>
                """
        }
        let body: HTML = """
            <p>Kèm theo hồ sơ của: <strong>\(view.applicant.fullName)</strong></p>
            <p>Nội dung yêu cầu giải quyết: \(view.procedureName)</p>
            <p>Cơ quan giải quyết: \(document.unitName)</p>
            <p>Cơ quan phối hợp giải quyết: —</p>
            <p>Hẹn trả kết quả: \(view.appointmentDate.map(VietnameseFormat.dayAndDate) ?? "—")</p>
            <div class="table-scroll"><table class="document-table">
            <thead><tr><th scope="col">Bước, người thực hiện</th><th scope="col">Thời gian giao, nhận hồ sơ</th>\
            <th scope="col">Kết quả giải quyết (trước hạn / đúng hạn / quá hạn)</th><th scope="col">Ghi chú</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            """
        return document.frame(.controlSlip, suffix: nil, body: body, signatures: .empty)
    }
}
