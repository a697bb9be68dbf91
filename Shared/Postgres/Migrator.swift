import CSodium

/// One numbered step of a schema's migrations. Once landed, it never changes: the migrator
/// refuses to run when a landed migration's checksum differs from the code's.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    /// The schema change: SQL text that may hold several statements and no parameters.
    public let sql: String
    /// Data to load after `sql`, in the same transaction.
    public let data: DataStep?

    /// One statement whose values are bound parameters, never spliced into SQL:
    /// `INSERT … SELECT … FROM jsonb_to_recordset($1::jsonb) …` for a seed.
    public struct DataStep: Sendable {
        public let sql: String
        public let parameters: [any PostgresEncodable]

        public init(_ sql: String, _ parameters: [any PostgresEncodable]) {
            self.sql = sql
            self.parameters = parameters
        }
    }

    public init(_ version: Int, _ name: String, _ sql: String, data: DataStep? = nil) {
        self.version = version
        self.name = name
        self.sql = sql
        self.data = data
    }

    /// SHA-256, hex, of the SQL text; with a data step, of the text followed by the data step's
    /// statement and each parameter's text (so a changed value changes it too).
    public var checksum: String {
        var text = sql
        if let data {
            text += "\n-- data\n" + data.sql
            for (index, parameter) in data.parameters.enumerated() {
                // The length first, so that no two lists of values read as the same text.
                text += "\n$\(index + 1) " + (parameter.postgresText.map { "\($0.utf8.count) \($0)" } ?? "NULL")
            }
        }
        var digest = [UInt8](repeating: 0, count: Int(crypto_hash_sha256_BYTES))
        let bytes = Array(text.utf8)
        crypto_hash_sha256(&digest, bytes, UInt64(bytes.count))
        return digest.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}

/// Applies a schema's migrations in order, each in its own transaction, recording them in
/// `<schema>.schema_migrations`. Concurrent migrators of one schema are serialized by a lock on
/// that table, taken in each step's transaction (no advisory lock: the services may take none,
/// so that none can fill the lock table), so two replicas starting together apply each step once.
public struct Migrator: Sendable {
    public let schema: String
    public let migrations: [Migration]

    public init(schema: String, migrations: [Migration]) {
        precondition(
            migrations.enumerated().allSatisfy { $0.offset + 1 == $0.element.version },
            "migrations of \(schema) must be numbered 1, 2, 3, … in order")
        self.schema = schema
        self.migrations = migrations
    }

    /// Applies what is pending and returns the versions applied (empty when up to date).
    @discardableResult
    public func migrate(_ pool: PostgresPool) async throws -> [Int] {
        try await pool.withConnection { connection in
            try await createTable(on: connection)
            var applied: [Int] = []
            for migration in migrations {
                let didApply = try await PostgresTransaction.run(on: connection, .readCommitted) { tx in
                    // Self-conflicting: a second migrator waits here, then finds the step landed.
                    try await tx.execute("LOCK TABLE \(table) IN SHARE ROW EXCLUSIVE MODE")
                    guard try await check(on: tx).contains(migration.version) else { return false }
                    try await tx.execute(
                        "SELECT set_config('search_path', $1, true)", [PostgresConnection.quoteIdentifier(schema)])
                    try await connection.run(script: migration.sql)
                    if let data = migration.data { try await tx.execute(data.sql, data.parameters) }
                    try await tx.execute(
                        "INSERT INTO \(table) (version, name, checksum) VALUES ($1, $2, $3)",
                        [migration.version, migration.name, migration.checksum])
                    return true
                }
                if didApply { applied.append(migration.version) }
            }
            return applied
        }
    }

    /// Versions in the code not yet landed; an error if a landed one changed or is unknown.
    public func pending(_ pool: PostgresPool) async throws -> [Int] {
        try await pool.withConnection { connection in try await check(on: connection) }
    }

    private var table: String { "\(PostgresConnection.quoteIdentifier(schema)).schema_migrations" }

    /// The bookkeeping table; a concurrent migrator creating it first is not an error.
    private func createTable(on connection: PostgresConnection) async throws {
        do {
            try await connection.execute(
                """
                CREATE TABLE IF NOT EXISTS \(table) (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    checksum text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
        } catch {
            // Created meanwhile by another migrator (IF NOT EXISTS is not safe against a race): the
            // loser fails on the table's name or on its row type's ("type … already exists").
            guard [PostgresError.uniqueViolation, Self.duplicateTable, Self.duplicateObject].contains(error.sqlState)
            else { throw error }
        }
    }

    private static let duplicateTable = "42P07"
    private static let duplicateObject = "42710"

    private func check(on connection: some PostgresQueryable) async throws -> [Int] {
        let exists = try await connection.query("SELECT to_regclass($1) IS NOT NULL", [table])
        guard try exists.single().decode(Bool.self, at: 0) else { return migrations.map(\.version) }
        let landed = try await connection.query("SELECT version, checksum FROM \(table) ORDER BY version", [])
        var known = Set<Int>()
        for row in landed {
            let (version, checksum) = try row.decode(Int.self, String.self)
            guard let migration = migrations.first(where: { $0.version == version }) else {
                throw MigrationError(
                    schema: schema, version: version,
                    message:
                        "the database has migration \(version) of \(schema), which this program does not know (an older build?)"
                )
            }
            guard migration.checksum == checksum else {
                throw MigrationError(
                    schema: schema, version: version,
                    message:
                        "migration \(version) (\(migration.name)) of \(schema) was changed after it landed; add a new migration instead"
                )
            }
            known.insert(version)
        }
        return migrations.map(\.version).filter { !known.contains($0) }
    }
}

/// Why the migrator refused to run.
public struct MigrationError: Error, Sendable, CustomStringConvertible {
    public let schema: String
    public let version: Int
    public let message: String
    public var description: String { message }
}
