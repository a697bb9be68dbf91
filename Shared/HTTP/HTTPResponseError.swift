/// An error that knows the problem it answers with, so a handler (or the domain below it) can throw
/// it and the client gets its status, code and Vietnamese detail instead of a 500.
///
/// ```swift
/// extension DomainError: HTTPResponseError {
///     public var problem: ProblemError { .conflict(code: code, detail: message) }
/// }
/// ```
public protocol HTTPResponseError: Error {
    /// The problem the responder renders for this error (RFC 9457).
    var problem: ProblemError { get }
}
