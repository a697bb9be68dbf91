/// Where a dossier stands in its life (DOMAIN §2, trạng thái hồ sơ). The transitions between
/// statuses are the intake slice's status machine; this is the vocabulary every service shares.
public enum DossierStatus: String, Codable, Sendable, CaseIterable {
    /// Sent online, waiting for a receptionist to accept it (the clock has not started).
    case submitted
    /// Received at the counter, by post, or accepted online: the clock runs.
    case received
    case inProgress = "in_progress"
    /// Waiting for the citizen's supplement (yêu cầu bổ sung): the clock is paused.
    case supplementRequested = "supplement_requested"
    case completed
    /// The result was handed to the citizen (trả kết quả).
    case returned
    /// Refused at receipt, with a coded reason (từ chối).
    case refused
    /// Withdrawn by the citizen (rút hồ sơ; TT 03/2025's stop notice).
    case withdrawn

    /// The status in Vietnamese, lower case, as staff and citizens read it in messages and on the pages
    /// (`đã trả kết quả`): "Hồ sơ đang ở trạng thái “\(status.vietnameseName)”".
    public var vietnameseName: String {
        switch self {
        case .submitted: "chờ tiếp nhận"
        case .received: "đã tiếp nhận"
        case .inProgress: "đang giải quyết"
        case .supplementRequested: "chờ bổ sung"
        case .completed: "đã có kết quả"
        case .returned: "đã trả kết quả"
        case .refused: "đã từ chối"
        case .withdrawn: "đã rút hồ sơ"
        }
    }
}
