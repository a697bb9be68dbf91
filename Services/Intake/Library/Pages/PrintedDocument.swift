import Domain
import Events
import Foundation
import HTML

/// What a printed form draws on, and the frame every form of TT 03/2025 shares: the agency and the
/// national motto side by side, the form's number, its title and the dossier's code, then its own
/// body and the signatures.
struct PrintedDocument {
    let view: DossierView
    /// The procedure as the dossier received it (its time limit then).
    let procedure: ProcedureSummary
    let unitName: String
    let printedOn: LocalDate
    /// The public lookup of this dossier, for the receipt's QR code.
    let lookupURL: String

    /// The frame around `body`: `suffix` ends the form's number (`0001/PXL`), nil for none; `corner`
    /// (the receipt's QR code) comes first, at the sheet's top right.
    func frame(_ form: PrintedForm, suffix: String?, corner: HTML? = nil, body: HTML, signatures: HTML) -> HTML {
        let number: HTML? = suffix.map {
            "<p>Số: \(String(format: "%04d", view.code.sequence))/\($0)</p>"
        }
        return """
            <article class="document" aria-labelledby="tieu-de-bieu-mau">
            \(corner)<header class="document-head">
            <div class="document-agency">
            <p class="document-upper">\(unitName)</p>
            <p class="document-upper"><strong>Bộ phận tiếp nhận và trả kết quả</strong></p>
            \(number)
            </div>
            <div class="document-nation">
            <p class="document-upper"><strong>Cộng hòa xã hội chủ nghĩa Việt Nam</strong></p>
            <p class="document-motto"><strong>Độc lập – Tự do – Hạnh phúc</strong></p>
            <p class="document-date"><em>\(place), \(VietnameseFormat.longDate(printedOn))</em></p>
            </div>
            </header>
            <p class="document-form">Mẫu số \(form.number) – Thông tư 03/2025/TT-VPCP</p>
            <h2 class="document-title" id="tieu-de-bieu-mau">\(form.title)</h2>
            <p class="document-code">Mã hồ sơ: <strong>\(view.code.value)</strong></p>
            \(body)
            \(signatures)
            </article>
            """
    }

    /// The applicant's lines every form to a citizen carries.
    var applicantLines: HTML {
        let email: HTML? = view.applicant.email.map { "<p>Thư điện tử: \($0)</p>" }
        return """
            <p>Ông/Bà: <strong>\(view.applicant.fullName)</strong></p>
            <p>Địa chỉ: \(view.applicant.address)</p>
            <p>Số điện thoại: \(view.applicant.phone)</p>
            \(email)<p>Nội dung yêu cầu giải quyết: \(view.procedureName)</p>
            """
    }

    /// Signature blocks side by side: a title, what to do (`Ký và ghi rõ họ tên`), and the name.
    static func signatures(_ blocks: [(title: String, note: String, name: String?)]) -> HTML {
        let cells = blocks.map { block -> HTML in
            """
            <div class="signature">
            <p class="document-upper"><strong>\(block.title)</strong></p>
            <p><em>(\(block.note))</em></p>
            <p class="signature-name">\(block.name ?? "")</p>
            </div>
            """
        }
        return "<div class=\"signatures\">\(cells)</div>"
    }

    /// The latest timeline step of `action`.
    func lastStep(_ action: String) -> DossierView.Step? {
        view.timeline.last { $0.action == action }
    }

    /// Who received the dossier: at the counter, or by accepting it online.
    var receiverName: String? {
        (lastStep("receive") ?? lastStep(DossierAction.accept.rawValue))?.actorName
    }

    /// The place of the date line: the unit without "UBND".
    private var place: String {
        unitName.hasPrefix("UBND ") ? String(unitName.dropFirst(5)) : unitName
    }
}
