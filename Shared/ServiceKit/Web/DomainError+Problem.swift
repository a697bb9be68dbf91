import Domain
import HTTP

extension DomainError: HTTPResponseError {
    /// A broken rule as its problem: malformed input 400, a broken rule 422, a conflict with the
    /// current state 409, a missing thing 404; the code and the Vietnamese message unchanged.
    public var problem: ProblemError {
        switch kind {
        case .malformed: .badRequest(code: code, detail: message)
        case .invalid: .unprocessable(code: code, detail: message)
        case .conflict: .conflict(code: code, detail: message)
        case .notFound: .notFound(code: code, detail: message)
        }
    }
}
