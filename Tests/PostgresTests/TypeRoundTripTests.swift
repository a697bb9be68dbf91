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
            let receipt = Receipt(
                code: "H01.40.23-260305-0007", components: ["Tờ khai", "Bản sao CCCD"], fee: 1_250_000)
            let bytes = Data([0, 1, 2, 254, 255, 92, 120])
            let amount = Decimal(string: "1234567.891")!
            try await pool.query(
                "INSERT INTO sample VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                [
                    "Nguyễn Thị Hồng Nhung — phường Đống Đa", Int32(-42), Int64.max, true, amount, at,
                    LocalDate(year: 2026, month: 2, day: 28)!, id, JSONB(receipt), bytes, 0.1,
                ])
            try await pool.query(
                "INSERT INTO sample VALUES (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)")

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

    @Test func timestampsBeforeChristAndAfterYear9999ReadAsTheirOwnInstant() async throws {
        try await TestDatabase.with { database in
            let pool = database.pool()
            let texts = [
                "0044-03-15 12:00:00+00 BC", "0001-12-31 23:59:59.5+00 BC", "0001-01-01 00:00:00+00",
                "12026-01-01 00:00:00+07",
            ]
            for text in texts {
                let row = try await pool.query(
                    "SELECT $1::timestamptz, extract(epoch FROM $1::timestamptz)::float8", [text]
                ).single()
                let (date, epoch) = try row.decode(Date.self, Double.self)
                #expect(date.timeIntervalSince1970 == epoch, "\(text)")
                // And the instant goes back as the same one.
                let same = try await pool.query("SELECT $1::timestamptz = $2::timestamptz", [date, text]).single()
                #expect(try same.decode(Bool.self, at: 0), "\(text)")
            }
            await pool.close()
        }
    }

    @Test func numericOfMoreDigitsThanDecimalHoldsFailsInsteadOfBeingTruncated() async throws {
        try await TestDatabase.with { database in
            let pool = database.pool()
            let row = try await pool.query(
                """
                SELECT '1234567890123456789012345678901234567890123'::numeric,
                       '0.123456789012345678901234567890123456789'::numeric,
                       '12345678901234567890123456789012345678'::numeric,
                       '-0.00000000000000000000000000000000000000000000000000001234500'::numeric,
                       '1234567890123456789012345678901234567800000'::numeric,
                       'NaN'::numeric
                """
            ).single()
            #expect(throws: PostgresError.self) { try row.decode(Decimal.self, at: 0) }
            #expect(throws: PostgresError.self) { try row.decode(Decimal.self, at: 1) }
            #expect(try row.decode(Decimal.self, at: 2) == Decimal(string: "12345678901234567890123456789012345678"))
            #expect(try row.decode(Decimal.self, at: 3) == -Decimal(sign: .plus, exponent: -57, significand: 12345))
            #expect(
                try row.decode(Decimal.self, at: 4)
                    == Decimal(
                        sign: .plus, exponent: 5,
                        significand: Decimal(string: "12345678901234567890123456789012345678")!))
            #expect(throws: PostgresError.self) { try row.decode(Decimal.self, at: 5) }
            await pool.close()
        }
    }

    enum Stage: String, PostgresCodable {
        case received
        case inProgress = "in_progress"
    }

    enum Priority: Int16, PostgresCodable {
        case low = 1
        case high = 2
    }

    @Test func rawRepresentableTypesRoundTripByDeclaringConformance() async throws {
        try await TestDatabase.with { database in
            let pool = database.pool()
            let row = try await pool.query(
                "SELECT $1::text, $2::smallint, $3::text, 'lost'::text, 7::smallint",
                [Stage.inProgress, Priority.high, Stage?.none]
            ).single()
            #expect(try row.decode(Stage.self, at: 0) == .inProgress)
            #expect(try row.decode(Priority.self, at: 1) == .high)
            #expect(try row.decode(Stage?.self, at: 2) == nil)
            let unknown = #expect(throws: PostgresError.self) { try row.decode(Stage.self, at: 3) }
            #expect(unknown?.message.contains("Stage") == true)
            let number = #expect(throws: PostgresError.self) { try row.decode(Priority.self, at: 4) }
            #expect(number?.message.contains("Priority") == true)
            await pool.close()
        }
    }

    @Test func moneyAndDossierCodeRoundTripThroughTheirColumns() async throws {
        try await TestDatabase.with { database in
            let pool = database.pool()
            try await pool.query("CREATE TABLE fee (code text, amount bigint)")
            let code = try DossierCode(parsing: "H01.40.23-260305-0007")
            try await pool.query(
                "INSERT INTO fee VALUES ($1, $2), ($3, $4)", [code, Money(dong: 1_250_000), "H01-bad", Money(dong: -5)])
            let rows = try await pool.query("SELECT code, amount FROM fee ORDER BY amount DESC")
            #expect(try rows[0].decode(DossierCode.self, at: 0) == code)
            #expect(try rows[0].decode(Money.self, at: 1) == Money(dong: 1_250_000))
            #expect(try rows[1].decode(Money.self, at: 1) == Money(dong: -5))
            #expect(throws: PostgresError.self) { try rows[1].decode(DossierCode.self, at: 0) }
            await pool.close()
        }
    }
}
