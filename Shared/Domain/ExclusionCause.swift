/// Why a late dossier's delay is not the administration's fault (DOMAIN §3): recorded with evidence, reported
/// separately and excluded from the on-time rate. A `ReasonText` beside it says what happened.
public enum ExclusionCause: String, CodedReason {
    /// The information system failed (sự cố hệ thống thông tin), e.g. the portal or the signing service was down.
    case systemFault = "system_fault"
    /// Force majeure (sự kiện bất khả kháng): natural disaster, epidemic, fire and the like.
    case forceMajeure = "force_majeure"

    public static let listName = "nguyên nhân chậm trễ khách quan"

    public var label: String {
        switch self {
        case .systemFault: "Sự cố hệ thống thông tin"
        case .forceMajeure: "Sự kiện bất khả kháng (thiên tai, dịch bệnh, hỏa hoạn…)"
        }
    }
}
