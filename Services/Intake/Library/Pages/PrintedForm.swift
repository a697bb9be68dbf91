import Domain

/// The printed forms of TT 03/2025/TT-VPCP's Phụ lục I a dossier can have (CATALOGUE.md lists
/// their fields), by the URL segment of `/ho-so/{code}/in/{form}`. The seventh, the tracking book
/// (Sổ theo dõi hồ sơ), covers many dossiers: `TrackingBook`.
enum PrintedForm: String, CaseIterable, Sendable {
    /// 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả, with the QR code to the public lookup.
    case receiptSlip = "giay-tiep-nhan"
    /// 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.
    case supplementRequest = "phieu-yeu-cau-bo-sung"
    /// 03 Phiếu từ chối tiếp nhận, giải quyết hồ sơ.
    case refusal = "phieu-tu-choi"
    /// 04 Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết.
    case apology = "van-ban-xin-loi"
    /// 05 Thông báo dừng giải quyết hồ sơ (a withdrawn dossier).
    case stopNotice = "thong-bao-dung"
    /// 06 Phiếu kiểm soát quá trình giải quyết hồ sơ.
    case controlSlip = "phieu-kiem-soat"

    /// The form's name, as its heading prints it.
    var title: String {
        switch self {
        case .receiptSlip: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
        case .supplementRequest: "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"
        case .refusal: "Phiếu từ chối tiếp nhận, giải quyết hồ sơ"
        case .apology: "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"
        case .stopNotice: "Thông báo dừng giải quyết hồ sơ"
        case .controlSlip: "Phiếu kiểm soát quá trình giải quyết hồ sơ"
        }
    }

    /// The form's number in TT 03/2025's Phụ lục I.
    var number: String {
        switch self {
        case .receiptSlip: "01"
        case .supplementRequest: "02"
        case .refusal: "03"
        case .apology: "04"
        case .stopNotice: "05"
        case .controlSlip: "06"
        }
    }

    /// Whether the dossier's life so far gives the form something to say.
    func isAvailable(for view: DossierView) -> Bool {
        switch self {
        case .receiptSlip, .controlSlip: view.receivedAt != nil || view.submittedAt != nil
        case .supplementRequest: view.timeline.contains { $0.action == DossierAction.requestSupplement.rawValue }
        case .refusal: view.status == .refused
        case .apology: view.timeline.contains { $0.action == DossierAction.apologise.rawValue }
        case .stopNotice: view.status == .withdrawn
        }
    }
}
