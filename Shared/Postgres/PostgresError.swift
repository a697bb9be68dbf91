/// An error from PostgreSQL or from talking to it, with the server's SQLSTATE when there is one.
///
/// Callers branch on `sqlState` (for example `PostgresError.uniqueViolation`) rather than on text.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Kind: String, Sendable {
        /// The server answered with an error; `sqlState` says which.
        case server
        /// The connection could not be made or was lost.
        case connection
        /// A value could not be decoded into the requested Swift type.
        case decoding
        /// The caller misused the API: a wrong column, too many values, a statement that would
        /// end a transaction inside it, a transaction used after its closure returned.
        case usage
        /// The connection was lost while a COMMIT was on its way: the transaction may or may not
        /// have committed, so it is not retried. Check the database before doing it again.
        case commitOutcomeUnknown
    }

    public let kind: Kind
    /// The five-character SQLSTATE, e.g. `23505`.
    public let sqlState: String?
    public let message: String
    /// The server's DETAIL, which may repeat the row's values (`Key (cccd)=(…)`, `Failing row
    /// contains (…)`): for code to read, never printed by `description`, so never logged.
    public let detail: String?
    public let hint: String?
    /// The constraint named by the server, for integrity violations.
    public let constraint: String?

    public init(
        kind: Kind, sqlState: String? = nil, message: String, detail: String? = nil, hint: String? = nil,
        constraint: String? = nil
    ) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
    }

    public var description: String {
        var text = "\(kind)"
        if let sqlState { text += " \(sqlState)" }
        text += ": \(message)"
        if let constraint { text += " (constraint \(constraint))" }
        return text
    }

    /// A failure a transaction may retry from the start: serialization failure or deadlock.
    public var isRetryableTransactionFailure: Bool {
        sqlState == Self.serializationFailure || sqlState == Self.deadlockDetected
    }

    /// The connection is gone (lost socket, server shut down or backend terminated).
    public var isConnectionLost: Bool {
        kind == .connection || sqlState.map { $0.hasPrefix("08") || $0.hasPrefix("57P") } ?? false
    }

    public static let uniqueViolation = "23505"
    public static let foreignKeyViolation = "23503"
    public static let checkViolation = "23514"
    public static let serializationFailure = "40001"
    public static let deadlockDetected = "40P01"
    public static let insufficientPrivilege = "42501"
    public static let undefinedTable = "42P01"
    public static let queryCanceled = "57014"
}
