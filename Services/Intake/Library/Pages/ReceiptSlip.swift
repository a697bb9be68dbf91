import Domain
import HTML
import QRCode

/// Form 01, Giấy tiếp nhận hồ sơ và hẹn trả kết quả (CATALOGUE.md: TT 01/2018 and TT 03/2025):
/// who filed what, the components, the time limit, when received and when the result is due, where
/// to collect it, the fee, the tracking book's entry, and a QR code to the public lookup.
enum ReceiptSlip {
    static func render(_ document: PrintedDocument) throws -> HTML {
        let view = document.view
        let qr = try QRCode(encoding: document.lookupURL)
        let components = view.components.map { component -> HTML in
            "<li>\(component.name) – \(component.documentId == nil ? "bản giấy" : "bản điện tử")</li>"
        }
        let days = document.procedure.processingDays
        let received: HTML =
            view.receivedAt.map { "\(VietnameseFormat.timeWords($0))" }
            ?? "Chờ tiếp nhận (nộp trực tuyến \(view.submittedAt.map(VietnameseFormat.dateTime) ?? ""))"
        let due: HTML = view.appointmentDate.map { "Trong giờ hành chính, \(VietnameseFormat.dayAndDate($0))" } ?? "—"
        let figure: HTML = """
            <figure class="document-qr">
            <img src="\(qr.svgDataURI)" alt="Mã QR tra cứu hồ sơ \(view.code.value)" width="160" height="160">
            <figcaption>Quét mã để tra cứu hồ sơ</figcaption>
            </figure>
            """
        let body: HTML = """
            <p>\(document.unitName) – Bộ phận tiếp nhận và trả kết quả tiếp nhận hồ sơ của:</p>
            \(document.applicantLines)
            <ol class="document-items">
            <li>Thành phần hồ sơ nộp gồm:<ol class="document-sublist">\(components)</ol></li>
            <li>Số lượng hồ sơ: 01 bộ.</li>
            <li>Thời gian giải quyết hồ sơ theo quy định: \(days == 0 ? "trong ngày" : "\(days) ngày làm việc").</li>
            <li>Thời gian nhận hồ sơ: \(received).</li>
            <li>Thời gian trả kết quả giải quyết hồ sơ: <strong>\(due)</strong>.</li>
            <li>Đăng ký nhận kết quả tại: Bộ phận tiếp nhận và trả kết quả – \(document.unitName).</li>
            <li>Phí, lệ phí: \(view.feeDue == .zero ? "không thu" : view.feeDue.formatted).</li>
            </ol>
            <p>Vào Sổ theo dõi hồ sơ, Quyển số: \(view.code.date.year), Số thứ tự: \(view.code.sequence).</p>
            <p class="document-note">Tra cứu tình trạng hồ sơ tại <span class="document-url">\(document.lookupURL)</span> \
            bằng mã hồ sơ và 4 số cuối số điện thoại đã đăng ký.</p>
            """
        return document.frame(
            .receiptSlip, suffix: "TN", corner: figure, body: body,
            signatures: PrintedDocument.signatures([
                ("Người nộp hồ sơ", "Ký và ghi rõ họ tên", view.applicant.fullName),
                ("Người tiếp nhận hồ sơ", "Ký và ghi rõ họ tên", document.receiverName),
            ]))
    }
}
