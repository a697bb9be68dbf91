import Synchronization

/// BEGIN failed because the connection was lost: nothing ran, so the pool retries on another.
struct BeginFailed: Error {
    let cause: PostgresError
}

/// The connection of an open transaction, handed to the body of `PostgresPool.transaction`.
///
/// Code that must write in the caller's transaction (the queue's `publish`) takes this type, so
/// it cannot be called with a bare connection by mistake.
public struct PostgresTransaction: Sendable {
    public let connection: PostgresConnection
    private let commitActions = CommitActions()

    /// Runs `action` once this transaction has committed (never if it rolls back or is retried):
    /// for what must not happen before the writes are visible, such as waking their readers.
    public func afterCommit(_ action: @escaping @Sendable () -> Void) {
        commitActions.append(action)
    }

    @discardableResult
    public func query(_ sql: String, _ parameters: [any PostgresEncodable] = []) async throws(PostgresError) -> PostgresRows {
        try await connection.query(sql, parameters)
    }

    @discardableResult
    public func execute(_ sql: String, _ parameters: [any PostgresEncodable] = []) async throws(PostgresError) -> Int {
        try await connection.execute(sql, parameters)
    }

    /// Several statements in one round trip, inside this transaction.
    public func pipeline(_ statements: [(String, [any PostgresEncodable])]) async throws(PostgresError) -> [PostgresRows] {
        try await connection.pipeline(statements)
    }

    /// `COPY … FROM STDIN` inside this transaction.
    @discardableResult
    public func copy(_ sql: String, rows: some Sequence<[any PostgresEncodable]> & Sendable) async throws(PostgresError) -> Int {
        try await connection.copy(sql, rows: rows)
    }

    private static func begin(on connection: PostgresConnection, _ isolation: IsolationLevel) async throws {
        let error: PostgresError
        do {
            try await connection.execute("BEGIN ISOLATION LEVEL \(isolation.rawValue)")
            return
        } catch let failure {
            error = failure
        }
        throw error.isConnectionLost ? BeginFailed(cause: error) : error
    }

    /// BEGIN, body, COMMIT; ROLLBACK if the body or the commit throws.
    static func run<R>(
        on connection: PostgresConnection, _ isolation: IsolationLevel, _ body: (PostgresTransaction) async throws -> R
    ) async throws -> R {
        try await begin(on: connection, isolation)
        let transaction = PostgresTransaction(connection: connection)
        do {
            let result = try await body(transaction)
            if await connection.isInFailedTransaction() {
                throw PostgresError(
                    kind: .usage, message: "a statement failed inside the transaction and its error was caught; rolled back")
            }
            try await connection.execute("COMMIT")
            transaction.commitActions.run()
            return result
        } catch {
            // A failed ROLLBACK means the connection is gone; the pool will not reuse it.
            _ = try? await connection.execute("ROLLBACK")
            throw error
        }
    }
}

/// The actions `afterCommit` collected during one transaction.
private final class CommitActions: Sendable {
    private let actions = Mutex<[@Sendable () -> Void]>([])

    func append(_ action: @escaping @Sendable () -> Void) { actions.withLock { $0.append(action) } }

    func run() {
        for action in actions.withLock({ $0 }) { action() }
    }
}
