/// The citizen who files a dossier (người nộp hồ sơ). Personal data: never logged in clear.
public struct Applicant: Codable, Sendable, Equatable {
    public var fullName: String
    /// The 12-digit citizen identity number (số CCCD / định danh cá nhân).
    public var cccd: String
    /// A Vietnamese mobile number, for notices of each change of status.
    public var phone: String
    public var email: String?
    public var address: String

    public init(fullName: String, cccd: String, phone: String, email: String? = nil, address: String) {
        self.fullName = fullName
        self.cccd = cccd
        self.phone = phone
        self.email = email
        self.address = address
    }
}
