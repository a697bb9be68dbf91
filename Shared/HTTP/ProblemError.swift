#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// An error a handler throws to answer with an RFC 9457 problem (`application/problem+json`).
///
/// `code` is stable English snake_case a client can branch on; `detail` is Vietnamese, for the
/// staff member or citizen reading the screen.
public struct ProblemError: HTTPResponseError, Sendable, Equatable {
    /// The HTTP status, for example 409.
    public let status: Int
    /// A stable machine-readable code, for example `illegal_transition`.
    public let code: String
    /// A short summary of the kind of problem.
    public let title: String
    /// What went wrong with this request, in Vietnamese.
    public let detail: String
    /// Per-field validation failures, when the problem is about the request's fields.
    public let errors: [FieldError]?

    /// The problem itself, so a `ProblemError` is rendered like any other `HTTPResponseError`.
    public var problem: ProblemError { self }

    public init(status: Int, code: String, title: String, detail: String, errors: [FieldError]? = nil) {
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.errors = errors
    }

    /// 400: the request cannot be understood as sent.
    public static func badRequest(code: String, detail: String, errors: [FieldError]? = nil) -> ProblemError {
        ProblemError(status: 400, code: code, title: "Yêu cầu không hợp lệ", detail: detail, errors: errors)
    }

    /// 403: the caller is known but may not do this.
    public static func forbidden(code: String, detail: String) -> ProblemError {
        ProblemError(status: 403, code: code, title: "Không có quyền", detail: detail)
    }

    /// 404: the thing the request names does not exist.
    public static func notFound(code: String = "not_found", detail: String) -> ProblemError {
        ProblemError(status: 404, code: code, title: "Không tìm thấy", detail: detail)
    }

    /// 409: the request conflicts with the current state (an illegal transition, a duplicate).
    public static func conflict(code: String, detail: String) -> ProblemError {
        ProblemError(status: 409, code: code, title: "Xung đột trạng thái", detail: detail)
    }

    /// 422: well-formed JSON whose fields break the rules; `errors` says which.
    public static func unprocessable(code: String = "validation_failed", detail: String, errors: [FieldError]? = nil)
        -> ProblemError
    {
        ProblemError(status: 422, code: code, title: "Dữ liệu không hợp lệ", detail: detail, errors: errors)
    }

    /// 503: a dependency (the database, another service) is unavailable for now.
    public static func serviceUnavailable(code: String = "service_unavailable", detail: String) -> ProblemError {
        ProblemError(status: 503, code: code, title: "Dịch vụ tạm thời không sẵn sàng", detail: detail)
    }

    static func routeNotFound(path: String) -> ProblemError {
        .notFound(code: "route_not_found", detail: "Không tìm thấy đường dẫn \(path).")
    }

    static func methodNotAllowed(method: String, path: String) -> ProblemError {
        ProblemError(
            status: 405, code: "method_not_allowed", title: "Phương thức không được hỗ trợ",
            detail: "Đường dẫn \(path) không hỗ trợ phương thức \(method).")
    }

    static func payloadTooLarge(limit: Int) -> ProblemError {
        ProblemError(
            status: 413, code: "payload_too_large", title: "Nội dung quá lớn",
            detail: "Nội dung yêu cầu vượt quá giới hạn \(limit) byte.")
    }

    /// The client closed the connection before its whole body arrived.
    static let bodyInterrupted = ProblemError.badRequest(
        code: "body_interrupted", detail: "Kết nối bị đóng trước khi nhận đủ nội dung yêu cầu.")

    static func unsupportedMediaType(_ contentType: String) -> ProblemError {
        ProblemError(
            status: 415, code: "unsupported_media_type", title: "Kiểu nội dung không được hỗ trợ",
            detail:
                "Nội dung yêu cầu phải là JSON (application/json) hoặc biểu mẫu (application/x-www-form-urlencoded), không phải \(contentType)."
        )
    }

    static func internalError(requestId: String) -> ProblemError {
        ProblemError(
            status: 500, code: "internal_error", title: "Lỗi hệ thống",
            detail: "Lỗi hệ thống. Vui lòng thử lại hoặc báo mã yêu cầu \(requestId) cho quản trị viên.")
    }

    /// 503: the server holds as many request bodies as it may; the client should retry shortly.
    static let serverBusy = ProblemError.serviceUnavailable(
        code: "server_busy", detail: "Máy chủ đang bận nhận nhiều yêu cầu. Vui lòng thử lại sau ít phút.")

    /// 408: the request's body did not arrive within the server's deadline.
    static let requestTimeout = ProblemError(
        status: 408, code: "request_timeout", title: "Hết thời gian chờ",
        detail: "Nội dung yêu cầu không được gửi đủ trong thời gian cho phép.")

    static let shuttingDown = ProblemError.serviceUnavailable(
        code: "shutting_down", detail: "Dịch vụ đang khởi động lại. Vui lòng thử lại sau ít phút.")

    /// The problem as a response for the request at `instance` (its path).
    public func response(instance: String, requestId: String) -> Response {
        let document = ProblemDocument(
            type: "https://motcua.gov.vn/problems/\(code)", title: title, status: status, detail: detail, code: code,
            instance: instance, requestId: requestId, errors: errors)
        var response: Response
        do {
            response = try .json(document, status: status)
        } catch {
            // Every field is a string, an integer or an array of strings: encoding cannot fail.
            preconditionFailure("problem document failed to encode: \(error)")
        }
        response.headers["Content-Type"] = "application/problem+json"
        return response
    }
}
