// Typed access to path and query parameters: a missing or unparsable value is a 400 problem that
// names the parameter, never a crash or a silent default.

extension Request {
    /// The path parameter `name` (a `:name` segment of the route) converted to `T`.
    ///
    /// Throws 400 `missing_parameter` when the route has no such parameter and 400
    /// `invalid_parameter` when its value does not convert.
    public func require<T: LosslessStringConvertible>(_ name: String, as type: T.Type = T.self) throws(ProblemError)
        -> T
    {
        guard let text = parameters[name] else { throw ProblemError.missingParameter(name) }
        guard let value = T(text) else { throw ProblemError.invalidParameter(name) }
        return value
    }
}

extension QueryParameters {
    /// The query parameter `name` converted to `T`; 400 `missing_parameter` when it is absent or
    /// empty, 400 `invalid_parameter` when it does not convert.
    public func require<T: LosslessStringConvertible>(_ name: String, as type: T.Type = T.self) throws(ProblemError)
        -> T
    {
        guard let value = try optional(name, as: type) else { throw ProblemError.missingParameter(name) }
        return value
    }

    /// The query parameter `name` converted to `T`, or nil when it is absent or empty; 400
    /// `invalid_parameter` when it is present and does not convert.
    public func optional<T: LosslessStringConvertible>(_ name: String, as type: T.Type = T.self) throws(ProblemError)
        -> T?
    {
        guard let text = self[name], !text.isEmpty else { return nil }
        guard let value = T(text) else { throw ProblemError.invalidParameter(name) }
        return value
    }
}

extension ProblemError {
    static func missingParameter(_ name: String) -> ProblemError {
        .badRequest(code: "missing_parameter", detail: "Thiếu tham số \"\(name)\".")
    }

    static func invalidParameter(_ name: String) -> ProblemError {
        .badRequest(code: "invalid_parameter", detail: "Tham số \"\(name)\" có giá trị không hợp lệ.")
    }
}
