import Domain
import HTML

/// Form 02, Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ: what to complete and why, once, with the
/// officer to ask; signed by the person who gave the guidance.
enum SupplementRequestSlip {
    static func render(_ document: PrintedDocument) -> HTML {
        let step = document.lastStep(DossierAction.requestSupplement.rawValue)
        let reason = step?.reasonCode.flatMap(SupplementReason.init(rawValue:))?.label ?? "Lý do khác"
        let body: HTML = """
            <p>Hồ sơ của:</p>
            \(document.applicantLines)
            <p>Ngày tiếp nhận: \(document.view.receivedAt.map(VietnameseFormat.timeWords) ?? "—").</p>
            <p><strong>Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:</strong></p>
            <p class="document-quote">\(step?.reason ?? "")</p>
            <p>Lý do: \(reason).</p>
            <p>Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ \(step?.actorName ?? "cán bộ tiếp nhận") \
            – Bộ phận tiếp nhận và trả kết quả, \(document.unitName) để được hướng dẫn.</p>
            <p>Thời hạn giải quyết tạm dừng từ \(step.map { VietnameseFormat.timeWords($0.at) } ?? "—") \
            cho đến khi Ông/Bà bổ sung đủ hồ sơ.</p>
            """
        return document.frame(
            .supplementRequest, suffix: "YCBS", body: body,
            signatures: PrintedDocument.signatures([("Người hướng dẫn", "Ký và ghi rõ họ tên", step?.actorName)]))
    }
}
