import CLibPQ
import Glibc
import Observability
import Synchronization

/// One libpq connection. Its methods run on the connection's own serial executor (see
/// `ConnectionExecutor`), so they may block in libpq without blocking Swift's cooperative pool.
///
/// Parameters are always sent separately from the SQL text (`$1`, `$2`, …), in text format.
public actor PostgresConnection {
    private let executor: ConnectionExecutor
    private var handle: OpaquePointer?
    /// A pipe that `interrupt()` writes to, waking a `waitForNotifications` blocked in poll.
    private let wakePipe: (read: Int32, write: Int32)
    /// What the pool asks between statements, read without a hop to the connection's executor
    /// (two thread switches each): written as each call on the executor ends.
    private let snapshot = Mutex(Snapshot())

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// How this connection was made (a queue wake-up goes out over another one like it).
    public nonisolated let configuration: PostgresConfiguration

    private init(label: String, configuration: PostgresConfiguration, dedicatedThread: Bool) {
        self.configuration = configuration
        executor = dedicatedThread ? ConnectionExecutor(dedicatedThread: label) : ConnectionExecutor(label: label)
        var descriptors: [Int32] = [-1, -1]
        if pipe(&descriptors) == 0 {
            for descriptor in descriptors {
                _ = fcntl(descriptor, F_SETFL, O_NONBLOCK)
                _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
            }
        }
        wakePipe = (descriptors[0], descriptors[1])
    }

    isolated deinit {
        if let handle { PQfinish(handle) }
        Glibc.close(wakePipe.read)
        Glibc.close(wakePipe.write)
    }

    /// Opens a connection, or throws a `.connection` error carrying libpq's message. With
    /// `dedicatedThread`, its calls run on a thread of its own rather than on Dispatch's shared
    /// workers: for a connection that blocks for long by design (`PostgresListener`).
    public static func connect(_ configuration: PostgresConfiguration, dedicatedThread: Bool = false)
        async throws(PostgresError) -> PostgresConnection
    {
        let connection = PostgresConnection(
            label: "motcua.pg.\(configuration.applicationName)", configuration: configuration,
            dedicatedThread: dedicatedThread)
        try await connection.open(configuration)
        return connection
    }

    private func open(_ configuration: PostgresConfiguration) throws(PostgresError) {
        let parameters = configuration.parameters
        let keywords = parameters.map { strdup($0.0) }
        let values = parameters.map { strdup($0.1) }
        defer {
            keywords.forEach { free($0) }
            values.forEach { free($0) }
        }
        let keywordPointers = keywords.map { UnsafePointer($0) } + [nil]
        let valuePointers = values.map { UnsafePointer($0) } + [nil]
        let connection = PQconnectdbParams(keywordPointers, valuePointers, 1)
        guard let connection, PQstatus(connection) == CONNECTION_OK else {
            let message = connection.map { Self.text(PQerrorMessage($0)) } ?? "out of memory"
            if let connection { PQfinish(connection) }
            throw PostgresError(kind: .connection, message: message.trimmingTrailingNewlines())
        }
        // Notices ("relation already exists, skipping") would go to stderr in libpq's own
        // format; services log JSON lines only.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        handle = connection
        noteFinished()
    }

    /// The connection's state as its last call left it.
    private struct Snapshot {
        var socket: Int32 = -1
        var open = false
        var transaction = PQTRANS_UNKNOWN
        var lastUsed = ContinuousClock.now
    }

    /// Records the state the call ending now leaves the connection in.
    private func noteFinished() {
        let socket = handle.map { PQsocket($0) } ?? -1
        let open = handle.map { PQstatus($0) == CONNECTION_OK } ?? false
        let transaction = handle.map { PQtransactionStatus($0) } ?? PQTRANS_UNKNOWN
        snapshot.withLock { $0 = Snapshot(socket: socket, open: open, transaction: transaction, lastUsed: .now) }
    }

    /// Whether an idle connection is still open: checks the socket without a round trip, so a
    /// backend killed or a server restarted while this connection sat idle is noticed. Only for
    /// a connection no call is running on (an idle pooled one).
    public nonisolated func isAlive() -> Bool {
        let (socket, open) = snapshot.withLock { ($0.socket, $0.open) }
        guard open, socket >= 0 else { return false }
        // An idle pooled connection has nothing to read. A terminated backend sends its FATAL
        // message, then closes, and the close may arrive later than the message: so any input
        // while idle marks the connection as dead, and the pool opens a fresh one.
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) == 0
    }

    /// Whether the pool may lend this connection again: open and outside any transaction.
    nonisolated func isReusable() -> Bool {
        snapshot.withLock { $0.open && $0.transaction == PQTRANS_IDLE }
    }

    /// Whether the connection is inside a transaction block (a failed one included).
    nonisolated func isInTransaction() -> Bool {
        snapshot.withLock { $0.transaction == PQTRANS_INTRANS || $0.transaction == PQTRANS_INERROR }
    }

    /// Whether an earlier statement failed inside the open transaction, so COMMIT would roll back.
    nonisolated func isInFailedTransaction() -> Bool {
        snapshot.withLock { $0.transaction == PQTRANS_INERROR }
    }

    /// How long since the connection last finished a call.
    nonisolated func idleDuration() -> Duration { .now - snapshot.withLock { $0.lastUsed } }

    /// Closes the connection; later calls fail with a `.connection` error.
    public func close() {
        if let handle { PQfinish(handle) }
        handle = nil
        noteFinished()
    }

    // MARK: Statements

    /// Runs one statement with parameters and returns its rows.
    @discardableResult
    public func query(_ sql: String, _ parameters: [any PostgresEncodable] = []) throws(PostgresError) -> PostgresRows {
        try Self.checkParameterCount(parameters)
        let connection = try liveHandle()
        defer { noteFinished() }
        let result = Self.withParameters(parameters) { count, values in
            PQexecParams(connection, sql, count, nil, values, nil, nil, 0)
        }
        return try consume(result)
    }

    /// Runs one statement and returns how many rows it affected.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [any PostgresEncodable] = []) throws(PostgresError) -> Int {
        try query(sql, parameters).affectedRows
    }

    /// Runs SQL text that may hold several statements and no parameters (migrations, bootstrap).
    public func run(script sql: String) throws(PostgresError) {
        let connection = try liveHandle()
        defer { noteFinished() }
        var failure: PostgresError?
        guard PQsendQuery(connection, sql) == 1 else { throw connectionError() }
        while let result = PQgetResult(connection) {
            if failure == nil, let error = Self.error(in: result) { failure = error }
            PQclear(result)
        }
        if let failure { throw failure }
        if PQstatus(connection) != CONNECTION_OK { throw connectionError() }
    }

    /// Runs many statements in one round trip (libpq pipeline mode) and returns their rows in
    /// order. Outside a transaction the batch is one implicit transaction: if a statement fails,
    /// the ones after it are skipped, the batch is rolled back and the first error is thrown.
    public func pipeline(_ statements: [(String, [any PostgresEncodable])]) throws(PostgresError) -> [PostgresRows] {
        guard !statements.isEmpty else { return [] }
        for (_, parameters) in statements { try Self.checkParameterCount(parameters) }
        let connection = try liveHandle()
        defer { noteFinished() }
        guard PQenterPipelineMode(connection) == 1 else { throw connectionError() }
        PQsetnonblocking(connection, 1)
        defer {
            PQexitPipelineMode(connection)
            PQsetnonblocking(connection, 0)
        }
        for (sql, parameters) in statements {
            let sent = Self.withParameters(parameters) { count, values in
                PQsendQueryParams(connection, sql, count, nil, values, nil, nil, 0)
            }
            // Non-blocking: libpq sends as its buffer fills and otherwise keeps the rest, so a
            // long batch cannot block here; the flush after the sync sends it and reads results.
            guard sent == 1 else { throw connectionError() }
        }
        guard PQpipelineSync(connection) == 1 else { throw connectionError() }
        try flush(connection)

        var results: [PostgresRows] = []
        var failure: PostgresError?
        var synced = false
        while !synced {
            try awaitResult(connection)
            guard let result = PQgetResult(connection) else { continue }  // end of one statement's results
            defer { PQclear(result) }
            switch PQresultStatus(result) {
            case PGRES_PIPELINE_SYNC:
                synced = true
            case PGRES_PIPELINE_ABORTED:
                continue
            default:
                if let error = Self.error(in: result) {
                    failure = failure ?? error
                } else {
                    results.append(Self.rows(of: result))
                }
            }
        }
        if let failure { throw failure }
        return results
    }

    /// Loads rows with `COPY … FROM STDIN` (text format) and returns how many were copied.
    @discardableResult
    public func copy(_ sql: String, rows: some Sequence<[any PostgresEncodable]>) throws(PostgresError) -> Int {
        let connection = try liveHandle()
        defer { noteFinished() }
        let start = PQexec(connection, sql)
        guard let start, PQresultStatus(start) == PGRES_COPY_IN else {
            let error = start.flatMap { Self.error(in: $0) } ?? connectionError()
            PQclear(start)
            throw error
        }
        PQclear(start)
        var chunk: [UInt8] = []
        chunk.reserveCapacity(1 << 16)
        var copyFailure: String?
        for row in rows {
            for (index, value) in row.enumerated() {
                if index > 0 { chunk.append(9) }
                guard let text = value.postgresText else {
                    chunk.append(contentsOf: [92, 78])  // \N
                    continue
                }
                for byte in text.utf8 {
                    switch byte {
                    case 92: chunk.append(contentsOf: [92, 92])
                    case 9: chunk.append(contentsOf: [92, 116])
                    case 10: chunk.append(contentsOf: [92, 110])
                    case 13: chunk.append(contentsOf: [92, 114])
                    default: chunk.append(byte)
                    }
                }
            }
            chunk.append(10)
            if chunk.count >= 1 << 16 {
                guard PQputCopyData(connection, chunk, Int32(chunk.count)) == 1 else {
                    copyFailure = "sending COPY data failed"
                    break
                }
                chunk.removeAll(keepingCapacity: true)
            }
        }
        if copyFailure == nil, !chunk.isEmpty, PQputCopyData(connection, chunk, Int32(chunk.count)) != 1 {
            copyFailure = "sending COPY data failed"
        }
        PQputCopyEnd(connection, copyFailure)
        var outcome: PostgresRows?
        var failure: PostgresError?
        while let result = PQgetResult(connection) {
            if let error = Self.error(in: result) {
                failure = failure ?? error
            } else {
                outcome = Self.rows(of: result)
            }
            PQclear(result)
        }
        if let failure { throw failure }
        return outcome?.affectedRows ?? 0
    }

    // MARK: LISTEN / NOTIFY

    /// Subscribes this connection to a notification channel (`LISTEN "channel"`).
    public func listen(_ channel: String) throws(PostgresError) {
        try execute("LISTEN \(Self.quoteIdentifier(channel))")
    }

    /// Waits up to `timeout` for notifications and returns those that arrived (possibly none).
    ///
    /// It blocks in `poll()` on the connection's socket and on a wake-up descriptor — no busy
    /// loop — on the connection's own thread, so only this connection waits.
    public func waitForNotifications(timeout: Duration) throws(PostgresError) -> [PostgresNotification] {
        let connection = try liveHandle()
        var received = Self.drainNotifications(connection)
        if !received.isEmpty { return received }
        var descriptors = [
            pollfd(fd: PQsocket(connection), events: Int16(POLLIN), revents: 0),
            pollfd(fd: wakePipe.read, events: Int16(POLLIN), revents: 0),
        ]
        let milliseconds = Int32(clamping: timeout.inMilliseconds)
        let ready = poll(&descriptors, 2, milliseconds)
        if ready > 0, descriptors[1].revents != 0 {
            var scratch = [UInt8](repeating: 0, count: 64)
            while read(wakePipe.read, &scratch, 64) > 0 {}
        }
        if ready > 0, descriptors[0].revents != 0 {
            guard PQconsumeInput(connection) == 1 else { throw connectionError() }
            received = Self.drainNotifications(connection)
        }
        return received
    }

    /// Wakes a `waitForNotifications` call that is blocked in poll; callable from any thread.
    public nonisolated func interrupt() {
        var one: UInt8 = 1
        _ = write(wakePipe.write, &one, 1)
    }

    private static func drainNotifications(_ connection: OpaquePointer) -> [PostgresNotification] {
        var received: [PostgresNotification] = []
        while let notification = PQnotifies(connection) {
            received.append(
                PostgresNotification(
                    channel: text(notification.pointee.relname), payload: text(notification.pointee.extra),
                    senderProcessID: notification.pointee.be_pid))
            PQfreemem(notification)
        }
        return received
    }

    // MARK: libpq plumbing

    private func liveHandle() throws(PostgresError) -> OpaquePointer {
        guard let handle, PQstatus(handle) == CONNECTION_OK else {
            throw PostgresError(kind: .connection, message: "the connection is closed")
        }
        return handle
    }

    private func connectionError() -> PostgresError {
        let message = handle.map { Self.text(PQerrorMessage($0)) } ?? "the connection is closed"
        return PostgresError(kind: .connection, message: message.trimmingTrailingNewlines())
    }

    /// Sends all libpq has buffered (non-blocking mode), reading results meanwhile so that a
    /// server blocked on writing them cannot deadlock with us blocked on writing statements.
    private func flush(_ connection: OpaquePointer) throws(PostgresError) {
        while true {
            let pending = PQflush(connection)
            if pending == 0 { return }
            if pending < 0 { throw connectionError() }
            var descriptor = pollfd(fd: PQsocket(connection), events: Int16(POLLIN | POLLOUT), revents: 0)
            _ = poll(&descriptor, 1, -1)
            if descriptor.revents & Int16(POLLIN) != 0, PQconsumeInput(connection) == 0 { throw connectionError() }
        }
    }

    /// Blocks in poll until libpq can hand out the next result without waiting.
    private func awaitResult(_ connection: OpaquePointer) throws(PostgresError) {
        while PQisBusy(connection) == 1 {
            try flush(connection)
            var descriptor = pollfd(fd: PQsocket(connection), events: Int16(POLLIN), revents: 0)
            _ = poll(&descriptor, 1, -1)
            guard PQconsumeInput(connection) == 1 else { throw connectionError() }
        }
    }

    private func consume(_ result: OpaquePointer?) throws(PostgresError) -> PostgresRows {
        guard let result else { throw connectionError() }
        defer { PQclear(result) }
        if let error = Self.error(in: result) {
            throw PQstatus(handle) == CONNECTION_OK
                ? error
                : PostgresError(
                    kind: .connection, sqlState: error.sqlState, message: error.message, detail: error.detail)
        }
        return Self.rows(of: result)
    }

    private static func error(in result: OpaquePointer) -> PostgresError? {
        let status = PQresultStatus(result)
        guard status == PGRES_FATAL_ERROR || status == PGRES_BAD_RESPONSE || status == PGRES_NONFATAL_ERROR else {
            return nil
        }
        func field(_ code: Character) -> String? {
            PQresultErrorField(result, Int32(code.asciiValue!)).map { text($0) }
        }
        let sqlState = field("C")
        return PostgresError(
            kind: sqlState == nil ? .connection : .server, sqlState: sqlState,
            message: field("M") ?? text(PQresultErrorMessage(result)).trimmingTrailingNewlines(),
            detail: field("D"), hint: field("H"), constraint: field("n"))
    }

    private static func rows(of result: OpaquePointer) -> PostgresRows {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        let columns = (0..<columnCount).map { text(PQfname(result, Int32($0))) }
        var cells: [[String?]] = []
        cells.reserveCapacity(rowCount)
        for row in 0..<Int32(rowCount) {
            var values: [String?] = []
            values.reserveCapacity(columnCount)
            for column in 0..<Int32(columnCount) {
                if PQgetisnull(result, row, column) == 1 {
                    values.append(nil)
                } else {
                    let length = Int(PQgetlength(result, row, column))
                    let pointer = UnsafeRawPointer(PQgetvalue(result, row, column)!)
                    values.append(
                        String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self))
                }
            }
            cells.append(values)
        }
        let affected = Int(text(PQcmdTuples(result))) ?? 0
        return PostgresRows(columns: columns, cells: cells, affectedRows: affected)
    }

    /// The protocol numbers parameters with 16 bits: libpq refuses more without sending anything,
    /// which must not pass for a lost connection (the pool would retry on fresh ones).
    private static func checkParameterCount(_ parameters: [any PostgresEncodable]) throws(PostgresError) {
        guard parameters.count > 65_535 else { return }
        throw PostgresError(
            kind: .usage,
            message: "a statement takes at most 65535 parameters, got \(parameters.count); bind an array instead")
    }

    /// Calls `body` with the parameters as C strings (NULL pointers for SQL NULL), freed after.
    private static func withParameters<R>(
        _ parameters: [any PostgresEncodable], _ body: (Int32, UnsafePointer<UnsafePointer<CChar>?>?) -> R
    ) -> R {
        let copies: [UnsafeMutablePointer<CChar>?] = parameters.map { $0.postgresText.map { strdup($0) } ?? nil }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer($0) }
        return pointers.withUnsafeBufferPointer { body(Int32(parameters.count), $0.baseAddress) }
    }

    static func text(_ pointer: UnsafePointer<CChar>?) -> String {
        guard let pointer else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)), as: UTF8.self)
    }

    static func text(_ pointer: UnsafeMutablePointer<CChar>?) -> String { text(UnsafePointer(pointer)) }

    /// `"name"` with embedded quotes doubled, for identifiers that cannot be parameters.
    public static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}

/// A NOTIFY received on a channel this connection listens to.
public struct PostgresNotification: Sendable, Equatable {
    public let channel: String
    public let payload: String
    public let senderProcessID: Int32
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var text = self
        while text.last?.isNewline == true { text.removeLast() }
        return text
    }
}
