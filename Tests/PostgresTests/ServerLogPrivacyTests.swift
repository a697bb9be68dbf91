import Foundation
import Postgres
import PostgresTestSupport
import Testing

/// What a failing statement leaves in PostgreSQL's log: the error, never the row's values (a CCCD in
/// a check violation's `Failing row contains (…)`, a JSON document in a syntax error's CONTEXT).
@Suite struct ServerLogPrivacyTests {
    @Test func aFailingWriteLeavesItsErrorButNoValueInTheServersLog() async throws {
        try await TestDatabase.with("logprivacy") { database in
            let pool = database.pool(maxConnections: 1)
            let cccd = "0012030\(Int.random(in: 10_000...99_999))"
            try await pool.query(
                "CREATE TABLE applicants (cccd text PRIMARY KEY, name text NOT NULL CHECK (name <> 'x'))")
            try await pool.query("INSERT INTO applicants VALUES ($1, 'An')", [cccd])
            // A unique violation (DETAIL: Key (cccd)=(…)), a check violation (DETAIL: Failing row
            // contains (…)) and bad JSON (CONTEXT: the document), each with the CCCD.
            await #expect(throws: PostgresError.self) {
                try await pool.query("INSERT INTO applicants VALUES ($1, 'Bình')", [cccd])
            }
            await #expect(throws: PostgresError.self) {
                try await pool.query("INSERT INTO applicants VALUES ($1, 'x')", [cccd + "9"])
            }
            await #expect(throws: PostgresError.self) {
                try await pool.query("SELECT $1::jsonb", [#"{"cccd": "\#(cccd)", "name": "An\u0000"}"#])
            }
            await pool.close()
            let log = try TestDatabase.serverLog()
            #expect(log.contains("violates check constraint \"applicants_name_check\""))
            #expect(!log.contains(cccd))
        }
    }
}
