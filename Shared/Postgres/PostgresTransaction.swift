import Synchronization

/// BEGIN failed because the connection was lost: nothing ran, so the pool retries on another.
struct BeginFailed: Error {
    let cause: PostgresError
}

/// Where statements run: a connection on its own (each statement its own transaction) or an open
/// transaction. For code that works on either, such as recording a queue delivery's failure.
public protocol PostgresQueryable: Sendable {
    @discardableResult
    func query(_ sql: String, _ parameters: [any PostgresEncodable]) async throws(PostgresError) -> PostgresRows
}

extension PostgresConnection: PostgresQueryable {}

/// An open transaction, handed to the body of `PostgresPool.transaction`.
///
/// Code that must write in the caller's transaction (the queue's `publish`) takes this type, so
/// it cannot be called with a bare connection by mistake. The BEGIN is sent in one round trip
/// with the transaction's first statement (libpq pipeline mode), so a transaction of n
/// statements costs n + 1 round trips, and one that runs none costs nothing.
public struct PostgresTransaction: PostgresQueryable {
    private let connection: PostgresConnection
    private let state: TransactionState

    private init(connection: PostgresConnection, begin: String) {
        self.connection = connection
        state = TransactionState(begin: begin)
    }

    /// How the transaction's connection was made (database, role).
    public var configuration: PostgresConfiguration { connection.configuration }

    /// Runs `action` once this transaction has committed (never if it rolls back or is retried):
    /// for what must not happen before the writes are visible, such as waking their readers.
    public func afterCommit(_ action: @escaping @Sendable () -> Void) {
        state.afterCommit(action)
    }

    @discardableResult
    public func query(_ sql: String, _ parameters: [any PostgresEncodable] = []) async throws(PostgresError) -> PostgresRows {
        try await pipeline([(sql, parameters)])[0]
    }

    @discardableResult
    public func execute(_ sql: String, _ parameters: [any PostgresEncodable] = []) async throws(PostgresError) -> Int {
        try await query(sql, parameters).affectedRows
    }

    /// Several statements in one round trip, inside this transaction.
    public func pipeline(_ statements: [(String, [any PostgresEncodable])]) async throws(PostgresError) -> [PostgresRows] {
        guard let begin = state.takeBegin() else {
            return statements.count == 1
                ? [try await connection.query(statements[0].0, statements[0].1)]
                : try await connection.pipeline(statements)
        }
        do {
            return Array(try await connection.pipeline([(begin, [])] + statements).dropFirst())
        } catch {
            state.failedAtBegin(error)
            throw error
        }
    }

    /// SQL text that may hold several statements and no parameters, inside this transaction.
    public func run(script sql: String) async throws(PostgresError) {
        guard let begin = state.takeBegin() else { return try await connection.run(script: sql) }
        do {
            try await connection.run(script: begin + ";\n" + sql)
        } catch {
            state.failedAtBegin(error)
            throw error
        }
    }

    /// Runs a last statement and COMMIT in one round trip; the transaction is over once this
    /// returns (the body must run no statement after it). Throws if either fails: then nothing
    /// of the transaction is committed, except that a lost connection leaves the outcome unknown,
    /// as with any COMMIT.
    @discardableResult
    public func commit(after sql: String, _ parameters: [any PostgresEncodable] = []) async throws(PostgresError)
        -> PostgresRows
    {
        let rows = try await pipeline([(sql, parameters), ("COMMIT", [])])[0]
        state.committed()
        return rows
    }

    /// `COPY … FROM STDIN` inside this transaction.
    @discardableResult
    public func copy(_ sql: String, rows: some Sequence<[any PostgresEncodable]> & Sendable) async throws(PostgresError) -> Int {
        if state.isBeginPending { try await run(script: "") }
        return try await connection.copy(sql, rows: rows)
    }

    /// Body, then COMMIT if it ran a statement; ROLLBACK if the body or the commit throws.
    static func run<R>(
        on connection: PostgresConnection, _ isolation: IsolationLevel, _ body: (PostgresTransaction) async throws -> R
    ) async throws -> R {
        let transaction = PostgresTransaction(connection: connection, begin: "BEGIN ISOLATION LEVEL \(isolation.rawValue)")
        do {
            let result = try await body(transaction)
            if transaction.state.isOpen {
                if connection.isInFailedTransaction() {
                    throw PostgresError(
                        kind: .usage, message: "a statement failed inside the transaction and its error was caught; rolled back")
                }
                try await connection.execute("COMMIT")
            }
            transaction.state.runCommitActions()
            return result
        } catch {
            guard transaction.state.isOpen else { throw error }
            // A failed ROLLBACK means the connection is gone; the pool will not reuse it.
            _ = try? await connection.execute("ROLLBACK")
            if let lost = transaction.state.connectionLostAtBegin { throw BeginFailed(cause: lost) }
            throw error
        }
    }
}

/// What one transaction keeps between its statements: the BEGIN not sent yet, whether the
/// connection was lost with it, and the actions `afterCommit` collected.
private final class TransactionState: Sendable {
    private struct State {
        var begin: String?
        var isCommitted = false
        var connectionLostAtBegin: PostgresError?
        var commitActions: [@Sendable () -> Void] = []
    }

    private let state: Mutex<State>

    init(begin: String) { state = Mutex(State(begin: begin)) }

    /// Whether the BEGIN is still to be sent: no statement has run.
    var isBeginPending: Bool { state.withLock { $0.begin != nil } }

    /// Whether the BEGIN went out and no `commit(after:)` ended the transaction since.
    var isOpen: Bool { state.withLock { $0.begin == nil && !$0.isCommitted } }

    func committed() { state.withLock { $0.isCommitted = true } }

    /// The BEGIN to send with the next statement, once.
    func takeBegin() -> String? {
        state.withLock { state in
            defer { state.begin = nil }
            return state.begin
        }
    }

    /// The first statement (with the BEGIN) failed: if the connection was lost, nothing of the
    /// body reached the database, so the pool may run it again on another connection.
    func failedAtBegin(_ error: PostgresError) {
        guard error.isConnectionLost else { return }
        state.withLock { $0.connectionLostAtBegin = error }
    }

    var connectionLostAtBegin: PostgresError? { state.withLock { $0.connectionLostAtBegin } }

    func afterCommit(_ action: @escaping @Sendable () -> Void) { state.withLock { $0.commitActions.append(action) } }

    func runCommitActions() {
        for action in state.withLock({ $0.commitActions }) { action() }
    }
}
