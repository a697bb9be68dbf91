/// Why a dossier is refused (lý do từ chối tiếp nhận, giải quyết hồ sơ; TT 01/2018 and TT 03/2025 form 03),
/// the coded part; the particulars go in a `ReasonText` beside it, as the form asks for "lý do cụ thể".
public enum RefusalReason: String, CodedReason {
    /// The request is not this unit's to decide (không thuộc thẩm quyền), e.g. a procedure of another level.
    case notUnderCompetence = "not_under_competence"
    /// The applicant or the case does not meet the conditions the law sets (không đủ điều kiện).
    case ineligible
    /// The person asking has no right to ask (không có quyền yêu cầu), e.g. a copy of someone else's record.
    case notEntitled = "not_entitled"
    /// A paper is forged, erased or altered (giấy tờ giả mạo, tẩy xóa, sửa chữa; NĐ 23/2015 Art. 22).
    case forgedOrAlteredDocument = "forged_or_altered_document"
    /// What is asked is against the law or social ethics (nội dung trái pháp luật, đạo đức xã hội).
    case unlawfulRequest = "unlawful_request"
    /// The supplement asked for was not provided, or still leaves the file incomplete.
    case supplementNotProvided = "supplement_not_provided"
    /// Any other reason, which the text must then explain.
    case other

    public static let listName = "lý do từ chối"

    public var label: String {
        switch self {
        case .notUnderCompetence: "Không thuộc thẩm quyền giải quyết của cơ quan"
        case .ineligible: "Không đủ điều kiện giải quyết theo quy định"
        case .notEntitled: "Người yêu cầu không có quyền yêu cầu giải quyết"
        case .forgedOrAlteredDocument: "Giấy tờ giả mạo, bị tẩy xóa, sửa chữa"
        case .unlawfulRequest: "Nội dung yêu cầu trái pháp luật, đạo đức xã hội"
        case .supplementNotProvided: "Không bổ sung, hoàn thiện hồ sơ theo yêu cầu"
        case .other: "Lý do khác"
        }
    }
}
