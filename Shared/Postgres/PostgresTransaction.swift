import Synchronization

/// The first round trip (with the BEGIN) failed because the connection was lost, and it held no
/// COMMIT: nothing of the body can have been committed, so the pool retries on another connection.
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
///
/// The pool alone ends the transaction: a statement that would (COMMIT, ROLLBACK, SAVEPOINT, …)
/// is refused, one that did anyway breaks it, and a transaction kept after its closure returned
/// refuses every statement, so nothing meant for it runs in autocommit.
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
    /// An action added after the transaction's closure returned never runs.
    public func afterCommit(_ action: @escaping @Sendable () -> Void) {
        state.afterCommit(action)
    }

    /// Runs one statement inside this transaction; one that would end it is refused.
    @discardableResult
    public func query(_ sql: String, _ parameters: [any PostgresEncodable] = []) async throws(PostgresError)
        -> PostgresRows
    {
        try await pipeline([(sql, parameters)])[0]
    }

    /// Runs one statement inside this transaction and returns how many rows it affected.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [any PostgresEncodable] = []) async throws(PostgresError) -> Int {
        try await query(sql, parameters).affectedRows
    }

    /// Several statements in one round trip, inside this transaction.
    public func pipeline(_ statements: [(String, [any PostgresEncodable])]) async throws(PostgresError)
        -> [PostgresRows]
    {
        for (sql, _) in statements { try Self.refuseTransactionControl(sql) }
        return try await send(statements, committing: false)
    }

    /// SQL text that may hold several statements and no parameters, inside this transaction.
    /// For this package's own use (the queue consumer's savepoints): the script is not checked,
    /// and must not end the transaction.
    package func run(script sql: String) async throws(PostgresError) {
        try state.checkUsable()
        if let begin = state.takeBegin() {
            do {
                try await connection.run(script: begin + ";\n" + sql)
            } catch {
                throw state.failed(error, inFirstRoundTrip: true, committing: false)
            }
        } else {
            try await connection.run(script: sql)
        }
        try checkStillInTransaction()
    }

    /// Runs a last statement and COMMIT in one round trip; the transaction is over once this
    /// returns, and later statements are refused. For this package's own use (the queue
    /// consumer's acknowledgement). Throws if either fails: then nothing of the transaction is
    /// committed, except that a lost connection leaves the outcome unknown
    /// (`.commitOutcomeUnknown`), and the body is not run again.
    @discardableResult
    package func commit(after sql: String, _ parameters: [any PostgresEncodable] = []) async throws(PostgresError)
        -> PostgresRows
    {
        try Self.refuseTransactionControl(sql)
        let rows = try await send([(sql, parameters), ("COMMIT", [])], committing: true)[0]
        state.committed()
        return rows
    }

    /// `COPY … FROM STDIN` inside this transaction.
    @discardableResult
    public func copy(_ sql: String, rows: some Sequence<[any PostgresEncodable]> & Sendable) async throws(PostgresError)
        -> Int
    {
        if state.isBeginPending { try await run(script: "") }
        try state.checkUsable()
        let count = try await connection.copy(sql, rows: rows)
        try checkStillInTransaction()
        return count
    }

    /// Sends statements on the connection, with the BEGIN if it is still to go.
    private func send(_ statements: [(String, [any PostgresEncodable])], committing: Bool) async throws(PostgresError)
        -> [PostgresRows]
    {
        try state.checkUsable()
        let begin = state.takeBegin()
        do {
            let rows =
                if let begin {
                    Array(try await connection.pipeline([(begin, [])] + statements).dropFirst())
                } else if statements.count == 1 {
                    [try await connection.query(statements[0].0, statements[0].1)]
                } else {
                    try await connection.pipeline(statements)
                }
            if !committing { try checkStillInTransaction() }
            return rows
        } catch {
            throw state.failed(error, inFirstRoundTrip: begin != nil, committing: committing)
        }
    }

    /// Defence in depth: a statement that ended the transaction anyway (one this type could not
    /// recognize) breaks it, so that nothing after it runs in autocommit.
    private func checkStillInTransaction() throws(PostgresError) {
        guard !connection.isInTransaction() else { return }
        state.broke()
        throw TransactionState.brokenError
    }

    /// Body, then COMMIT if it ran a statement; ROLLBACK if the body or the commit throws.
    static func run<R>(
        on connection: PostgresConnection, _ isolation: IsolationLevel, _ body: (PostgresTransaction) async throws -> R
    ) async throws -> R {
        let transaction = PostgresTransaction(
            connection: connection, begin: "BEGIN ISOLATION LEVEL \(isolation.rawValue)")
        let result: R
        do {
            result = try await body(transaction)
        } catch {
            if transaction.state.end() == .open {
                // A failed ROLLBACK means the connection is gone; the pool will not reuse it.
                _ = try? await connection.execute("ROLLBACK")
            }
            if let lost = transaction.state.connectionLostAtBegin { throw BeginFailed(cause: lost) }
            throw error
        }
        switch transaction.state.end() {
        case .open:
            if connection.isInFailedTransaction() {
                _ = try? await connection.execute("ROLLBACK")
                throw PostgresError(
                    kind: .usage,
                    message: "a statement failed inside the transaction and its error was caught; rolled back")
            }
            do {
                try await connection.execute("COMMIT")
            } catch {
                throw error.isConnectionLost ? TransactionState.outcomeUnknown(error) : error
            }
        case .broken:
            throw TransactionState.brokenError
        case .pending, .committed, .ended:
            break
        }
        transaction.state.runCommitActions()
        return result
    }

    /// Refuses a statement that would begin, end or nest the transaction, before it is sent:
    /// only the pool ends a transaction, and the queue consumer's savepoints go through `run(script:)`.
    private static func refuseTransactionControl(_ sql: String) throws(PostgresError) {
        let words = leadingWords(of: sql, count: 2)
        let first = words.first ?? ""
        guard
            ["BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE"].contains(first)
                || (first == "PREPARE" && words.dropFirst().first == "TRANSACTION")
        else { return }
        throw PostgresError(
            kind: .usage,
            message: "\(first) cannot run inside PostgresPool.transaction: the pool begins and ends the transaction "
                + "(return from the closure to commit, throw to roll back)")
    }

    /// Up to `count` leading words of `sql`, uppercased, skipping whitespace and comments
    /// (`-- …` and nested `/* … */`); stops at anything else.
    private static func leadingWords(of sql: String, count: Int) -> [String] {
        let bytes = Array(sql.utf8)
        var index = 0
        var words: [String] = []
        func isLetter(_ byte: UInt8) -> Bool {
            (65...90).contains(byte) || (97...122).contains(byte) || byte == UInt8(ascii: "_")
        }
        while index < bytes.count, words.count < count {
            let byte = bytes[index]
            let next = index + 1 < bytes.count ? bytes[index + 1] : 0
            if byte == 32 || (9...13).contains(byte) {
                index += 1
            } else if byte == UInt8(ascii: "-"), next == UInt8(ascii: "-") {
                while index < bytes.count, bytes[index] != 10 { index += 1 }
            } else if byte == UInt8(ascii: "/"), next == UInt8(ascii: "*") {
                var depth = 0
                repeat {
                    if bytes[index] == UInt8(ascii: "/"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "*")
                    {
                        depth += 1
                        index += 2
                    } else if bytes[index] == UInt8(ascii: "*"), index + 1 < bytes.count,
                        bytes[index + 1] == UInt8(ascii: "/")
                    {
                        depth -= 1
                        index += 2
                    } else {
                        index += 1
                    }
                } while depth > 0 && index < bytes.count
            } else if isLetter(byte) {
                let start = index
                while index < bytes.count, isLetter(bytes[index]) { index += 1 }
                words.append(String(decoding: bytes[start..<index], as: UTF8.self).uppercased())
            } else {
                break
            }
        }
        return words
    }
}

/// What one transaction keeps between its statements: where it stands, whether the connection
/// was lost with the BEGIN, and the actions `afterCommit` collected.
private final class TransactionState: Sendable {
    /// Where the transaction stands.
    enum Phase: Equatable {
        /// No statement has run; the BEGIN is still to be sent.
        case pending(begin: String)
        /// The BEGIN went out and nothing ended the transaction since.
        case open
        /// `commit(after:)` committed it.
        case committed
        /// A statement ended it behind the pool's back.
        case broken
        /// Its closure returned or threw: the pool commits or rolls back, nothing else runs.
        case ended
    }

    private struct State {
        var phase: Phase
        var connectionLostAtBegin: PostgresError?
        var commitActions: [@Sendable () -> Void] = []
    }

    private let state: Mutex<State>

    init(begin: String) { state = Mutex(State(phase: .pending(begin: begin))) }

    /// Whether the BEGIN is still to be sent: no statement has run.
    var isBeginPending: Bool {
        state.withLock {
            guard case .pending = $0.phase else { return false }
            return true
        }
    }

    /// Throws unless statements may run: the transaction is pending or open.
    func checkUsable() throws(PostgresError) {
        let phase = state.withLock { $0.phase }
        switch phase {
        case .pending, .open: return
        case .committed:
            throw PostgresError(
                kind: .usage,
                message:
                    "the transaction has committed (commit(after:) was its last statement); nothing more runs in it")
        case .broken: throw Self.brokenError
        case .ended:
            throw PostgresError(
                kind: .usage,
                message:
                    "the transaction was used after the closure it was given to returned; it is over, nothing runs in it"
            )
        }
    }

    func committed() { state.withLock { $0.phase = .committed } }

    func broke() { state.withLock { $0.phase = .broken } }

    /// Marks the closure as returned and says where the transaction stood then.
    func end() -> Phase {
        state.withLock { state in
            defer { state.phase = .ended }
            return state.phase
        }
    }

    /// The BEGIN to send with the next statement, once; the transaction is open from then on.
    func takeBegin() -> String? {
        state.withLock { state in
            guard case .pending(let begin) = state.phase else { return nil }
            state.phase = .open
            return begin
        }
    }

    /// The error to throw for a failed round trip. A lost connection leaves a COMMIT's outcome
    /// unknown; in the first round trip without a COMMIT it means nothing of the body reached the
    /// database, so the pool may run it again on another connection.
    func failed(_ error: PostgresError, inFirstRoundTrip: Bool, committing: Bool) -> PostgresError {
        guard error.isConnectionLost else { return error }
        if committing { return Self.outcomeUnknown(error) }
        if inFirstRoundTrip { state.withLock { $0.connectionLostAtBegin = error } }
        return error
    }

    var connectionLostAtBegin: PostgresError? { state.withLock { $0.connectionLostAtBegin } }

    func afterCommit(_ action: @escaping @Sendable () -> Void) { state.withLock { $0.commitActions.append(action) } }

    func runCommitActions() {
        for action in state.withLock({ $0.commitActions }) { action() }
    }

    static let brokenError = PostgresError(
        kind: .usage,
        message:
            "a statement ended the transaction from inside (COMMIT, ROLLBACK or the like): what ran before it may be "
            + "committed, and nothing more runs in this transaction")

    /// The connection was lost with a COMMIT in flight.
    static func outcomeUnknown(_ cause: PostgresError) -> PostgresError {
        PostgresError(
            kind: .commitOutcomeUnknown, sqlState: cause.sqlState,
            message:
                "the connection was lost while COMMIT was in flight: the transaction may or may not have committed, "
                + "so it is not retried", detail: cause.message)
    }
}
