/// A step in a dossier's life (DOMAIN §2), driven by `POST /api/dossiers/{code}/{action}`; `DossierLifecycle`
/// says which steps a dossier's status allows and where each leads.
///
/// The raw values are snake_case, as in events and JSON; the URL spells them with hyphens (`pathSegment`).
public enum DossierAction: String, Codable, Sendable, CaseIterable {
    /// A receptionist accepts an online submission (tiếp nhận hồ sơ trực tuyến): the deadline clock starts.
    case accept
    /// A handler starts processing a received dossier (chuyển xử lý).
    case start
    /// Ask the citizen to complete the file (yêu cầu bổ sung, hoàn thiện hồ sơ), once per dossier: the clock pauses.
    case requestSupplement = "request_supplement"
    /// The citizen's supplement arrived (đã bổ sung): the clock resumes.
    case supplement
    /// Refuse the dossier with a coded reason (từ chối tiếp nhận, giải quyết hồ sơ).
    case refuse
    /// The citizen withdraws the dossier (rút hồ sơ; TT 03/2025's Thông báo dừng giải quyết hồ sơ).
    case withdraw
    /// Processing is finished and the result exists (có kết quả), as a document or on paper.
    case complete
    /// The result is handed to the citizen (trả kết quả); only once any fee due is paid.
    case returnResult = "return"
    /// A late or nearly late dossier gets an apology with a new appointment date (văn bản xin lỗi và hẹn lại).
    case apologise
    /// A delay caused by a system fault or force majeure is recorded with evidence and left out of the on-time rate.
    case excludeDelay = "exclude_delay"

    /// The action as the URL names it: `request-supplement`, `exclude-delay`, `return`, `accept`.
    public var pathSegment: String { rawValue.replacingUnderscoresWithHyphens }

    /// The action a URL segment names (`request-supplement`), or nil for an unknown one.
    public init?(pathSegment: some StringProtocol) {
        guard let action = Self.allCases.first(where: { $0.pathSegment == pathSegment }) else { return nil }
        self = action
    }

    /// What the action does, in Vietnamese, to finish "không thể …" in an error message (`yêu cầu bổ sung`).
    public var vietnameseName: String {
        switch self {
        case .accept: "tiếp nhận hồ sơ"
        case .start: "chuyển xử lý"
        case .requestSupplement: "yêu cầu bổ sung hồ sơ"
        case .supplement: "ghi nhận hồ sơ đã bổ sung"
        case .refuse: "từ chối hồ sơ"
        case .withdraw: "rút hồ sơ"
        case .complete: "hoàn thành giải quyết"
        case .returnResult: "trả kết quả"
        case .apologise: "gửi văn bản xin lỗi, hẹn lại ngày trả"
        case .excludeDelay: "ghi nhận lý do chậm trễ khách quan"
        }
    }
}

extension String {
    /// `request_supplement` → `request-supplement`.
    fileprivate var replacingUnderscoresWithHyphens: String {
        String(map { $0 == "_" ? "-" : $0 })
    }
}
