import Domain
import HTML

/// Form 04, Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết: the original due date, the
/// reason for the delay, the apology and the new date; signed and sealed by the head of the unit.
enum ApologyLetter {
    static func render(_ document: PrintedDocument) -> HTML {
        let view = document.view
        let step = document.lastStep(DossierAction.apologise.rawValue)
        let body: HTML = """
            <p class="document-to">Kính gửi: Ông/Bà <strong>\(view.applicant.fullName)</strong></p>
            <p>Địa chỉ: \(view.applicant.address). Số điện thoại: \(view.applicant.phone).</p>
            <p>Ngày \(view.receivedAt.map { VietnameseFormat.date(VietnameseFormat.day($0)) } ?? "—"), \
            \(document.unitName) tiếp nhận hồ sơ của Ông/Bà, mã hồ sơ \(view.code.value), thủ tục \
            “\(view.procedureName)”, lĩnh vực \(document.procedure.field).</p>
            <p>Thời hạn trả kết quả theo quy định: \(view.dueDate.map(VietnameseFormat.dayAndDate) ?? "—").</p>
            <p>Đến nay, hồ sơ của Ông/Bà chưa được giải quyết đúng hạn. Lý do: \(step?.reason ?? "").</p>
            <p>\(document.unitName) thành thật xin lỗi Ông/Bà vì sự chậm trễ này và đề nghị gia hạn thời gian giải quyết; \
            thời gian trả kết quả mới: <strong>\(view.appointmentDate.map(VietnameseFormat.dayAndDate) ?? "—")</strong>.</p>
            <p>Mong Ông/Bà thông cảm./.</p>
            """
        return document.frame(
            .apology, suffix: "PXL", body: body,
            signatures: PrintedDocument.signatures([
                ("Thủ trưởng cơ quan, đơn vị", "Ký, ghi rõ họ tên và đóng dấu", step?.actorName)
            ]))
    }
}
