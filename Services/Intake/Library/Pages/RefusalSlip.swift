import Domain
import HTML

/// Form 03, Phiếu từ chối tiếp nhận, giải quyết hồ sơ: the coded reason and its particulars
/// ("lý do cụ thể"), never a refusal without one.
enum RefusalSlip {
    static func render(_ document: PrintedDocument) -> HTML {
        let step = document.lastStep(DossierAction.refuse.rawValue)
        let reason = step?.reasonCode.flatMap(RefusalReason.init(rawValue:))?.label ?? "Lý do khác"
        let body: HTML = """
            <p>Bộ phận tiếp nhận và trả kết quả – \(document.unitName) tiếp nhận hồ sơ của:</p>
            \(document.applicantLines)
            <p>Sau khi xem xét, căn cứ quy định, \(document.unitName) thông báo không tiếp nhận, giải quyết hồ sơ này \
            với lý do cụ thể như sau:</p>
            <p class="document-quote"><strong>\(reason).</strong> \(step?.reason ?? "")</p>
            <p>Xin thông báo cho Ông/Bà được biết và thực hiện./.</p>
            """
        return document.frame(
            .refusal, suffix: "TC", body: body,
            signatures: PrintedDocument.signatures([("Người tiếp nhận", "Ký và ghi rõ họ tên", step?.actorName)]))
    }
}
