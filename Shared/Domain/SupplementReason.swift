/// Why a dossier must be supplemented (nội dung yêu cầu bổ sung, hoàn thiện hồ sơ; TT 01/2018 and TT 03/2025
/// form 02), the coded part; a `ReasonText` beside it says exactly what to bring, so the citizen is asked once.
public enum SupplementReason: String, CodedReason {
    /// A required component (thành phần hồ sơ) is missing.
    case missingComponent = "missing_component"
    /// A declaration is not on the prescribed form, or is filled in incompletely (tờ khai không đúng mẫu).
    case wrongForm = "wrong_form"
    /// A copy is neither certified nor presented with its original (bản sao không hợp lệ).
    case invalidCopy = "invalid_copy"
    /// The papers disagree with each other or with the national population database (thông tin không thống nhất).
    case inconsistentInformation = "inconsistent_information"
    /// A scan or electronic copy cannot be read (bản chụp, bản điện tử không rõ).
    case illegibleDocument = "illegible_document"
    /// A signature, fingerprint, seal or confirmation is missing (thiếu chữ ký, xác nhận).
    case missingSignature = "missing_signature"
    /// Any other reason, which the text must then explain.
    case other

    public static let listName = "lý do yêu cầu bổ sung"

    public var label: String {
        switch self {
        case .missingComponent: "Thiếu thành phần hồ sơ"
        case .wrongForm: "Tờ khai không đúng mẫu hoặc kê khai chưa đầy đủ"
        case .invalidCopy: "Bản sao chưa được chứng thực hoặc không kèm bản chính để đối chiếu"
        case .inconsistentInformation: "Thông tin giữa các giấy tờ không thống nhất"
        case .illegibleDocument: "Bản chụp, bản điện tử không rõ, không đọc được"
        case .missingSignature: "Thiếu chữ ký, điểm chỉ hoặc xác nhận của cơ quan có thẩm quyền"
        case .other: "Lý do khác"
        }
    }
}
