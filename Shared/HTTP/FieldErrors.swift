/// A collector for validation: note every bad field, then throw them all as one 422.
///
/// ```swift
/// var errors = FieldErrors()
/// if form.fullName.isEmpty { errors.add(field: "applicant.fullName", code: "required", detail: "Cần họ và tên.") }
/// if !isPhone(form.phone) { errors.add(field: "applicant.phone", code: "invalid_format", detail: "…") }
/// try errors.throwIfAny()
/// ```
/// One answer listing every field lets the form show each message next to its field at once.
public struct FieldErrors: Sendable, Equatable {
    /// The failures in the order they were noted.
    public private(set) var all: [FieldError] = []

    public init() {}

    /// True when no field failed.
    public var isEmpty: Bool { all.isEmpty }

    /// Notes that `field` (its path in the body, for example `applicant.phone`) failed with `code`.
    public mutating func add(field: String, code: String, detail: String) {
        all.append(FieldError(field: field, code: code, detail: detail))
    }

    /// Notes `field` as `too_long` when `text` has more than `limit` characters; true when it fits.
    @discardableResult
    public mutating func bound(_ text: String, field: String, limit: Int) -> Bool {
        guard text.utf8.count > limit, text.count > limit else { return true }
        add(field: field, code: "too_long", detail: "Trường này dài quá \(limit) ký tự.")
        return false
    }

    /// Throws a 422 `validation_failed` problem listing every noted field, when there is one.
    public func throwIfAny() throws(ProblemError) {
        guard !all.isEmpty else { return }
        throw ProblemError.unprocessable(
            detail: "Có \(all.count) trường không hợp lệ. Vui lòng kiểm tra lại.", errors: all)
    }
}
