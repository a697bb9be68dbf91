/// A bounded pool of connections for one role: at most `maxConnections` open, callers wait in
/// order when all are busy, and a connection found dead (server restart, terminated backend) is
/// replaced instead of handed out.
public final class PostgresPool: Sendable {
    public let configuration: PostgresConfiguration
    public let maxConnections: Int
    private let state: PoolState

    public init(configuration: PostgresConfiguration, maxConnections: Int = 10) {
        precondition(maxConnections > 0, "a pool needs at least one connection")
        self.configuration = configuration
        self.maxConnections = maxConnections
        state = PoolState(maxConnections: maxConnections)
    }

    /// Lends a connection to `body` and takes it back afterwards; a connection that broke while
    /// lent is closed rather than returned.
    public func withConnection<R>(_ body: (PostgresConnection) async throws -> R) async throws -> R {
        let connection = try await checkOut()
        do {
            let result = try await body(connection)
            await checkIn(connection)
            return result
        } catch {
            await checkIn(connection)
            throw error
        }
    }

    /// Runs `body` in a transaction that commits if it returns and rolls back if it throws.
    ///
    /// A serialization failure or deadlock (SQLSTATE 40001, 40P01) reruns the whole body, up to
    /// `maxAttempts` times with a short random pause, so `body` must have no effect outside the
    /// database before it returns.
    @discardableResult
    public func transaction<R>(
        _ isolation: IsolationLevel = .readCommitted, maxAttempts: Int = 5,
        _ body: (PostgresTransaction) async throws -> R
    ) async throws -> R {
        var attempt = 1
        while true {
            do {
                return try await withConnection { connection in
                    try await PostgresTransaction.run(on: connection, isolation, body)
                }
            } catch let error as PostgresError where error.isRetryableTransactionFailure && attempt < maxAttempts {
                attempt += 1
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...(5 << min(attempt, 6)))))
            } catch let failure as BeginFailed {
                // The pooled connection died while idle; every other one may have too (a server
                // restart), so keep trying as long as fresh connections keep failing at BEGIN.
                guard attempt < maxConnections + maxAttempts else { throw failure.cause }
                attempt += 1
            }
        }
    }

    /// One statement on a pooled connection, outside any explicit transaction.
    @discardableResult
    public func query(_ sql: String, _ parameters: [any PostgresEncodable] = []) async throws -> PostgresRows {
        try await withConnection { try await $0.query(sql, parameters) }
    }

    /// Closes idle connections, and lent ones as they come back, and makes later check-outs fail.
    public func close() async {
        for connection in await state.shutDown() { await connection.close() }
    }

    private func checkOut() async throws -> PostgresConnection {
        while true {
            switch try await state.acquire() {
            case .reuse(let connection):
                if await isHealthy(connection) { return connection }
                await connection.close()
                await state.discard()
            case .open:
                do {
                    return try await PostgresConnection.connect(configuration)
                } catch {
                    await state.discard()
                    throw error
                }
            }
        }
    }

    /// A connection idle for more than a few seconds is checked with a round trip too, which
    /// catches a dead peer that closed no socket.
    private func isHealthy(_ connection: PostgresConnection) async -> Bool {
        guard connection.isAlive() else { return false }
        guard connection.idleDuration() > .seconds(30) else { return true }
        return (try? await connection.query("SELECT 1")) != nil
    }

    private func checkIn(_ connection: PostgresConnection) async {
        if connection.isReusable() {
            // A connection coming back after `close()` is closed, not kept idle forever.
            guard await !state.release(connection) else { return }
            await connection.close()
        } else {
            await connection.close()
            await state.discard()
        }
    }
}

/// The transaction isolation level of `PostgresPool.transaction`.
public enum IsolationLevel: String, Sendable {
    case readCommitted = "READ COMMITTED"
    case repeatableRead = "REPEATABLE READ"
    case serializable = "SERIALIZABLE"
}

/// The pool's bookkeeping: open count, idle connections, waiters in arrival order.
private actor PoolState {
    enum Grant {
        case reuse(PostgresConnection)
        case open
    }

    let maxConnections: Int
    var open = 0
    var idle: [PostgresConnection] = []
    var waiters: [CheckedContinuation<Grant, any Error>] = []
    var closed = false

    init(maxConnections: Int) { self.maxConnections = maxConnections }

    func acquire() async throws -> Grant {
        guard !closed else { throw PostgresError(kind: .usage, message: "the pool is closed") }
        if let connection = idle.popLast() { return .reuse(connection) }
        if open < maxConnections {
            open += 1
            return .open
        }
        return try await withCheckedThrowingContinuation { waiters.append($0) }
    }

    /// Takes a lent connection back; false when the pool has closed, and the caller closes it.
    func release(_ connection: PostgresConnection) -> Bool {
        if closed {
            open -= 1
            return false
        }
        if waiters.isEmpty {
            idle.append(connection)
        } else {
            waiters.removeFirst().resume(returning: .reuse(connection))
        }
        return true
    }

    /// A connection slot freed without a connection (it broke or could not be opened).
    func discard() {
        if waiters.isEmpty || closed {
            open -= 1
        } else {
            waiters.removeFirst().resume(returning: .open)
        }
    }

    func shutDown() -> [PostgresConnection] {
        closed = true
        for waiter in waiters { waiter.resume(throwing: PostgresError(kind: .usage, message: "the pool is closed")) }
        waiters = []
        open -= idle.count
        defer { idle = [] }
        return idle
    }
}
