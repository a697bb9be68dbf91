/// A list of coded reasons staff choose from (a refusal's, a supplement request's, a delay's cause): a stable
/// snake_case code, a Vietnamese label for the select list and the printed form, and a parser that names the
/// field when a client sends an unknown code. Each code travels with a `ReasonText` saying the particulars.
public protocol CodedReason: RawRepresentable<String>, CaseIterable, Codable, Hashable, Sendable {
    /// What the list is, in Vietnamese, for error messages (`lý do từ chối`).
    static var listName: String { get }
    /// The reason in Vietnamese, as printed on the form (`Thiếu thành phần hồ sơ`).
    var label: String { get }
}

extension CodedReason {
    /// The reason with this code; throws `invalid_reason_code` (.invalid) listing the codes allowed.
    public init(code: some StringProtocol) throws {
        guard let reason = Self(rawValue: String(code)) else {
            let codes = Self.allCases.map(\.rawValue).joined(separator: ", ")
            throw DomainError(
                code: "invalid_reason_code",
                message: "Mã \(Self.listName) “\(code.prefix(40))” không có trong danh mục; các mã hợp lệ: \(codes).")
        }
        self = reason
    }
}
