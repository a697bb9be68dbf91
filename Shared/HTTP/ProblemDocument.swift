/// The body of a problem response (RFC 9457, `application/problem+json`), as the server writes it
/// and as a client or a test reads it back.
public struct ProblemDocument: Sendable, Codable, Equatable {
    /// A URI naming the kind of problem: `https://motcua.gov.vn/problems/<code>`.
    public var type: String
    /// A short summary of the kind of problem, in Vietnamese.
    public var title: String
    /// The HTTP status repeated.
    public var status: Int
    /// What went wrong with this request, in Vietnamese.
    public var detail: String
    /// The stable English code a client branches on.
    public var code: String
    /// The path of the request the problem is about.
    public var instance: String
    /// The request id, also in the `X-Request-Id` header and the log line.
    public var requestId: String
    /// Per-field failures, when the problem is about the request's fields.
    public var errors: [FieldError]?

    public init(
        type: String, title: String, status: Int, detail: String, code: String, instance: String, requestId: String,
        errors: [FieldError]? = nil
    ) {
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
        self.code = code
        self.instance = instance
        self.requestId = requestId
        self.errors = errors
    }
}
