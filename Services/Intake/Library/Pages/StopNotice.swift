import Domain
import HTML

/// Form 05, Thông báo dừng giải quyết hồ sơ (new in TT 03/2025), for a dossier the citizen
/// withdrew: the request to stop, the stage it had reached, the decision and the fees already paid.
enum StopNotice {
    static func render(_ document: PrintedDocument) -> HTML {
        let view = document.view
        let step = document.lastStep(DossierAction.withdraw.rawValue)
        let stage = step?.fromStatus.map(VietnameseFormat.status) ?? "—"
        let body: HTML = """
            <p class="document-to">Kính gửi: Ông/Bà <strong>\(view.applicant.fullName)</strong></p>
            <p>Địa chỉ: \(view.applicant.address). Số điện thoại: \(view.applicant.phone).</p>
            <p>\(document.unitName) nhận được đề nghị dừng giải quyết (rút) hồ sơ mã \(view.code.value), thủ tục \
            “\(view.procedureName)”, của Ông/Bà \(step.map { "lúc " + VietnameseFormat.timeWords($0.at) } ?? "").</p>
            <p>Lý do: \(step?.reason ?? "").</p>
            <p>Giai đoạn giải quyết khi dừng: \(stage).</p>
            <p><strong>\(document.unitName) dừng giải quyết hồ sơ nêu trên kể từ ngày \
            \(step.map { VietnameseFormat.date(VietnameseFormat.day($0.at)) } ?? "—").</strong></p>
            <p>Phí, lệ phí đã nộp: \(view.feePaid.formatted); được xử lý theo quy định.</p>
            <p>Xin thông báo để Ông/Bà được biết./.</p>
            """
        return document.frame(
            .stopNotice, suffix: "TBD", body: body,
            signatures: PrintedDocument.signatures([("Người tiếp nhận", "Ký và ghi rõ họ tên", step?.actorName)]))
    }
}
