import HTTP
import Observability
import Postgres

/// What every handler of a service receives beside the request: the request's id and a logger
/// carrying it, the signed-in staff member (set by `RequireStaff`), the clock, and transactions
/// scoped to the principal's units.
public struct ServiceRequestContext: Sendable {
    /// The service's shared parts: configuration, pool, metrics, token verifier.
    public let service: ServiceContext
    public let requestId: String
    /// The service's logger with this request's id on every line.
    public let logger: Logger
    /// The signed-in staff member, once `RequireStaff` has run.
    public internal(set) var principal: StaffPrincipal?
    /// The token the principal signed in with, and how it came.
    public internal(set) var credential: Credential?
    /// The transaction the request already runs in (an idempotent creation's), which the
    /// handler's own `transaction` joins.
    var ambient: PostgresTransaction?
    /// A context for `request` in `service`, with no principal yet.
    public init(request: Request, service: ServiceContext) {
        self.service = service
        requestId = request.requestId
        logger = service.logger.with(["requestId": .string(request.requestId)])
    }

    /// Business time.
    public var clock: any WallClock { service.clock }

    /// The signed-in staff member; a 401 problem when the route let an anonymous request through.
    public func requirePrincipal() throws(ProblemError) -> StaffPrincipal {
        guard let principal else { throw RequireStaff.notSignedIn }
        return principal
    }

    /// The units the principal works on: its unit, or its province's units (read only) for a
    /// province role.
    public var scope: DataScope? { principal.map(\.dataScope) }

    /// Runs `body` in a transaction scoped to `scope`, by default the principal's; joins the
    /// request's transaction when there is one (an idempotent creation). Without a principal the
    /// handler names the unit (a citizen's request, scoped by the dossier's unit).
    @discardableResult
    public func transaction<R>(
        _ scope: DataScope? = nil, isolation: IsolationLevel = .readCommitted,
        _ body: (ScopedTransaction) async throws -> R
    ) async throws -> R {
        guard let scope = scope ?? self.scope else {
            throw PostgresError(
                kind: .usage, message: "no unit in scope: the request has no principal and names no unit")
        }
        if let ambient {
            return try await body(ScopedTransaction(ambient, scope: scope, clock: clock))
        }
        return try await service.transaction(scope, isolation: isolation, body)
    }

    /// The value a cookie-signed-in page puts in its forms' `_csrf` field (or a script in the
    /// `X-CSRF-Token` header); nil for a bearer token, which needs none.
    public var csrfToken: String? {
        guard let credential, credential.source == .cookie, let principal else { return nil }
        return CSRF.token(for: principal, sessionToken: credential.token)
    }
}

/// The token a request signed in with.
public struct Credential: Sendable, Hashable {
    /// Where the token was found.
    public enum Source: Sendable, Hashable {
        /// `Authorization: Bearer …`: sent on purpose by a client, so no CSRF check.
        case bearer
        /// The session cookie: sent by the browser on any request, so unsafe methods need the CSRF token.
        case cookie
    }

    public let token: String
    public let source: Source
}

extension ServiceRequestContext {
    /// Records the signed-in staff member's `action` on `subject` in the service's audit trail,
    /// in `tx` (so it exists if and only if the action commits), with this request's id.
    public func audit(
        _ action: String, subject: String, details: some Encodable = [String: String](), in tx: ScopedTransaction
    ) async throws {
        try await tx.audit(
            actor: .staff(try requirePrincipal()), action: action, subject: subject, details: details,
            requestId: requestId)
    }
}
