import Domain
import Foundation
import Postgres
import PostgresTestSupport
import Testing

@Suite struct TypeRoundTripTests {
    struct Receipt: Codable, Equatable, Sendable {
        let code: String
        let components: [String]
        let fee: Int64
    }

    @Test func everyTypeRoundTripsThroughItsColumnIncludingNulls() async throws {
        try await TestDatabase.with { database in
            let pool = database.pool()
            try await pool.query(
                """
                CREATE TABLE sample (
                    t text, i integer, b bigint, f boolean, n numeric, ts timestamptz, d date, u uuid,
                    j jsonb, y bytea, x double precision)
                """)
            let at = Date(timeIntervalSince1970: 1_764_045_317.123456)
            let id = UUID()
            let receipt = Receipt(code: "H01.40.23-260305-0007", components: ["Tờ khai", "Bản sao CCCD"], fee: 1_250_000)
            let bytes = Data([0, 1, 2, 254, 255, 92, 120])
            let amount = Decimal(string: "1234567.891")!
            try await pool.query(
                "INSERT INTO sample VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                [
                    "Nguyễn Thị Hồng Nhung — phường Đống Đa", Int32(-42), Int64.max, true, amount, at,
                    LocalDate(year: 2026, month: 2, day: 28)!, id, JSONB(receipt), bytes, 0.1,
                ])
            try await pool.query("INSERT INTO sample VALUES (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)")

            let rows = try await pool.query("SELECT * FROM sample ORDER BY t NULLS LAST")
            #expect(rows.count == 2)
            let full = rows[0]
            #expect(try full.decode(String.self, column: "t") == "Nguyễn Thị Hồng Nhung — phường Đống Đa")
            #expect(try full.decode(Int32.self, column: "i") == -42)
            #expect(try full.decode(Int64.self, column: "b") == Int64.max)
            #expect(try full.decode(Bool.self, column: "f") == true)
            #expect(try full.decode(Decimal.self, column: "n") == amount)
            #expect(try full.decode(Date.self, column: "ts").timeIntervalSince1970 == at.timeIntervalSince1970)
            #expect(try full.decode(LocalDate.self, column: "d") == LocalDate(year: 2026, month: 2, day: 28))
            #expect(try full.decode(UUID.self, column: "u") == id)
            #expect(try full.decode(JSONB<Receipt>.self, column: "j").value == receipt)
            #expect(try full.decode(Data.self, column: "y") == bytes)
            #expect(try full.decode(Double.self, column: "x") == 0.1)

            let empty = rows[1]
            #expect(try empty.decode(String?.self, column: "t") == nil)
            #expect(try empty.decode(Int64?.self, column: "b") == nil)
            #expect(try empty.decode(Date?.self, column: "ts") == nil)
            #expect(try empty.decode(JSONB<Receipt>?.self, column: "j") == nil)
            #expect(throws: PostgresError.self) { try empty.decode(String.self, column: "t") }
            await pool.close()
        }
    }

    @Test func timestampsKeepMicrosecondsAndReadOtherOffsets() async throws {
        try await TestDatabase.with { database in
            let pool = database.pool()
            let row = try await pool.query(
                "SELECT '2026-01-01 07:00:00.5+07'::timestamptz, '1969-12-31 23:59:59.999999+00'::timestamptz, $1::timestamptz",
                [Date(timeIntervalSince1970: -0.25)]
            ).single()
            let (vietnamMidnight, beforeEpoch, negative) = try row.decode(Date.self, Date.self, Date.self)
            #expect(vietnamMidnight.timeIntervalSince1970 == 1_767_225_600.5)
            // Foundation's Date keeps about 0.1 µs near 1970 (it counts from 2001 in a Double).
            #expect(abs(beforeEpoch.timeIntervalSince1970 - -0.000001) < 2e-7)
            #expect(negative.timeIntervalSince1970 == -0.25)
            await pool.close()
        }
    }

    @Test func arraysBindAsOneParameter() async throws {
        try await TestDatabase.with { database in
            let pool = database.pool()
            let row = try await pool.query(
                "SELECT array_length($1::bigint[], 1), $2::text[]", [[Int64(1), 2, 3], ["a\"b", "c\\d", "Hà Nội"]]
            ).single()
            #expect(try row.decode(Int.self, at: 0) == 3)
            #expect(try row.decode(String.self, at: 1) == #"{"a\"b","c\\d","Hà Nội"}"#)
            let back = try await pool.query(
                "SELECT $1::bigint[], $2::text[], ARRAY['x', NULL, 'NULL', '']::text[], '{}'::int[]",
                [[Int64(7), -8], ["a\"b", "c\\d, e", "Hà Nội"]]
            ).single()
            #expect(try back.decode([Int64].self, at: 0) == [7, -8])
            #expect(try back.decode([String].self, at: 1) == ["a\"b", "c\\d, e", "Hà Nội"])
            #expect(try back.decode([String?].self, at: 2) == ["x", nil, "NULL", ""])
            #expect(try back.decode([Int].self, at: 3) == [])
            await pool.close()
        }
    }

    @Test func uniqueViolationCarriesItsSQLStateAndConstraint() async throws {
        try await TestDatabase.with { database in
            let pool = database.pool()
            try await pool.query("CREATE TABLE dossier (code text CONSTRAINT dossier_code_key UNIQUE)")
            try await pool.query("INSERT INTO dossier VALUES ($1)", ["H01-260101-0001"])
            let error = await #expect(throws: PostgresError.self) {
                try await pool.query("INSERT INTO dossier VALUES ($1)", ["H01-260101-0001"])
            }
            #expect(error?.sqlState == PostgresError.uniqueViolation)
            #expect(error?.constraint == "dossier_code_key")
            #expect(error?.detail?.contains("H01-260101-0001") == true)
            #expect(error?.kind == .server)
            await pool.close()
        }
    }
}
