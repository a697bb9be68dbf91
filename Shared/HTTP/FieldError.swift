/// One field that failed validation, inside a 400 or 422 problem.
public struct FieldError: Sendable, Codable, Equatable {
    /// The field's path in the request body, for example `applicant.phone`.
    public let field: String
    /// A stable code, for example `required` or `invalid_format`.
    public let code: String
    /// What is wrong, in Vietnamese.
    public let detail: String

    public init(field: String, code: String, detail: String) {
        self.field = field
        self.code = code
        self.detail = detail
    }
}
