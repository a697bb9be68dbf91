import Domain
import Foundation
import Postgres
import PostgresTestSupport
import Testing

@testable import ServiceKit

/// The hash-chained audit trail: `AuditTrail.record` in the caller's transaction, `verify` and
/// `audit verify` finding what was changed behind its back.
@Suite struct AuditTrailTests {
    static let unit = "H01.40.23"
    static let clerk = StaffPrincipal(id: "staff-7", name: "Phạm Thu Hà", roles: [.receptionist], scope: .unit(unit))
    static let start = Date(timeIntervalSince1970: 1_795_000_000.123456)

    /// A bootstrapped database with intake's audit trail migrated, a pool as role intake, and
    /// the superuser that plays the one tampering with the rows.
    struct Trail {
        let database: TestDatabase
        let pool: PostgresPool
        let superuser: PostgresPool

        /// Appends `count` records to `subject`, one transaction each, a minute apart.
        func append(_ count: Int, to subject: String, unit: String = AuditTrailTests.unit) async throws {
            for index in 0..<count {
                try await pool.transaction { tx in
                    try await AuditTrail.record(
                        actor: .staff(AuditTrailTests.clerk), action: "dossier.step", subject: subject,
                        details: ["step": "\(index)", "note": "Bước \(index)"], unit: unit, requestId: "req-\(index)",
                        at: AuditTrailTests.start.addingTimeInterval(Double(index) * 60), in: tx)
                }
            }
        }

        func verify() async throws -> AuditVerification { try await AuditTrail.verify(pool, schema: "intake") }

        /// Intake's trail and its chains' heads, in schema audit.
        var records: String { "audit.intake_trail" }
        var heads: String { "audit.intake_chain_head" }

        func close() async {
            await pool.close()
            await superuser.close()
            await database.drop()
        }
    }

    func withTrail(_ body: (Trail) async throws -> Void) async throws {
        let database = try await bootstrappedDatabase("audit")
        let pool = database.pool(as: "intake", maxConnections: 10)
        let trail = Trail(database: database, pool: pool, superuser: database.pool())
        do {
            try await Migrator(schema: "intake", migrations: [AuditTrail.migration]).migrate(pool)
            try await body(trail)
            await trail.close()
        } catch {
            await trail.close()
            throw error
        }
    }

    @Test func aTrailWrittenOnlyByRecordIsIntact() async throws {
        try await withTrail { trail in
            try await trail.append(3, to: "H01.40.23-261118-0001")
            try await trail.append(2, to: "H01.40.23-261118-0002")
            try await trail.append(1, to: "H01.40.23-261118-0001", unit: "H01.40.25")
            let verification = try await trail.verify()
            #expect(verification.isIntact, "\(verification.breaks)")
            #expect(verification.records == 6)
            #expect(verification.chains == 3)
        }
    }

    @Test func aRecordKeepsTheCallersTimeActorAndDetailsAndLinksToTheOneBefore() async throws {
        try await withTrail { trail in
            try await trail.append(2, to: "S-1")
            let rows = try await trail.superuser.query(
                """
                SELECT (extract(epoch FROM at) * 1000000)::bigint, actor, actor_name, details ->> 'note', seq,
                       prev_hash, hash, request_id, unit_code
                FROM audit.intake_trail ORDER BY seq
                """)
            #expect(rows.count == 2)
            let (micros, actor, name, note, sequence) = try rows[0].decode(
                Int64.self, String.self, String?.self, String.self, Int64.self)
            #expect(micros == 1_795_000_000_123_456)
            #expect(actor == "staff-7")
            #expect(name == "Phạm Thu Hà")
            #expect(note == "Bước 0")
            #expect(sequence == 1)
            #expect(try rows[0].decode(Data?.self, at: 5) == nil)
            #expect(try rows[1].decode(Data?.self, at: 5) == rows[0].decode(Data.self, at: 6))
            #expect(try rows[1].decode(String.self, at: 7) == "req-1")
            #expect(try rows[1].decode(String.self, at: 8) == Self.unit)
        }
    }

    @Test func aRecordRolledBackWithItsTransactionLeavesNoTrace() async throws {
        struct Refused: Error {}
        try await withTrail { trail in
            await #expect(throws: Refused.self) {
                try await trail.pool.transaction { tx in
                    try await AuditTrail.record(
                        actor: .citizen(dossier: try DossierCode(parsing: "H01.40.23-261118-0009")),
                        action: "rating.submit",
                        subject: "S-9", details: [String: String](), unit: Self.unit, requestId: nil, at: Self.start,
                        in: tx)
                    throw Refused()
                }
            }
            let verification = try await trail.verify()
            #expect(verification.records == 0)
            #expect(verification.chains == 0)
        }
    }

    @Test func aChangedRecordIsDetected() async throws {
        try await withTrail { trail in
            try await trail.append(3, to: "S-1")
            try await trail.superuser.query(
                "UPDATE audit.intake_trail SET details = '{\"step\": \"1\", \"note\": \"sửa\"}' WHERE seq = 2")
            let verification = try await trail.verify()
            #expect(verification.breaks.map(\.kind) == [.altered])
            #expect(verification.breaks.first?.sequence == 2)
        }
    }

    @Test func aRecordDeletedFromTheMiddleIsDetected() async throws {
        try await withTrail { trail in
            try await trail.append(4, to: "S-1")
            try await trail.superuser.query("DELETE FROM audit.intake_trail WHERE seq = 2")
            let verification = try await trail.verify()
            #expect(verification.breaks.map(\.kind) == [.missing])
            #expect(verification.breaks.first?.sequence == 3)
            #expect(verification.breaks.first?.detail == "records 2…2 before it are missing")
        }
    }

    @Test func theLastRecordDeletedIsDetectedThroughTheChainsHead() async throws {
        try await withTrail { trail in
            try await trail.append(3, to: "S-1")
            try await trail.superuser.query("DELETE FROM audit.intake_trail WHERE seq = 3")
            let verification = try await trail.verify()
            #expect(verification.breaks.map(\.kind) == [.truncated])
            #expect(verification.breaks.first?.sequence == 3)
        }
    }

    @Test func reorderedRecordsAreDetected() async throws {
        try await withTrail { trail in
            try await trail.append(4, to: "S-1")
            try await trail.superuser.query("UPDATE audit.intake_trail SET seq = 100 WHERE seq = 2")
            try await trail.superuser.query("UPDATE audit.intake_trail SET seq = 2 WHERE seq = 3")
            try await trail.superuser.query("UPDATE audit.intake_trail SET seq = 3 WHERE seq = 100")
            let verification = try await trail.verify()
            #expect(!verification.isIntact)
            #expect(Set(verification.breaks.map(\.kind)).isSubset(of: [.altered, .unlinked]))
            #expect(Set(verification.breaks.map(\.sequence)) == [2, 3, 4])
        }
    }

    @Test func twentyConcurrentAppendsToOneSubjectKeepOneChain() async throws {
        try await withTrail { trail in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        try await trail.pool.transaction { tx in
                            try await AuditTrail.record(
                                actor: .system(consumer: "intake-payments"), action: "payment.apply", subject: "S-1",
                                details: ["n": index], unit: Self.unit, requestId: nil,
                                at: Self.start.addingTimeInterval(Double(index)), in: tx)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let verification = try await trail.verify()
            #expect(verification.isIntact, "\(verification.breaks)")
            #expect(verification.records == 20)
            #expect(verification.chains == 1)
            let sequences = try await trail.superuser.query("SELECT seq FROM audit.intake_trail ORDER BY seq").map {
                try $0.decode(Int64.self, at: 0)
            }
            #expect(sequences == Array(1...20))
        }
    }

    @Test func auditVerifyExitsZeroWhenIntactAndOneNamingTheBreak() async throws {
        try await withTrail { trail in
            try await trail.append(2, to: "S-1")
            // libpq takes the server from this process's PG* variables, the rest from DATABASE_URL.
            let environment = ["DATABASE_URL": "dbname=\(trail.database.name) user=intake"]
            let intact = CapturedOutput()
            #expect(
                await AuditCommand.run(
                    service: "intake", arguments: ["verify"], environment: environment, output: intact.output) == 0,
                "\(intact.errorText)")
            #expect(intact.text == "audit trail of intake: 2 records in 1 chains, intact")

            try await trail.superuser.query("UPDATE audit.intake_trail SET actor = 'staff-8' WHERE seq = 1")
            let broken = CapturedOutput()
            #expect(
                await AuditCommand.run(
                    service: "intake", arguments: ["verify"], environment: environment, output: broken.output) == 1)
            #expect(broken.text.contains("H01.40.23 S-1 #1: altered: its content does not match its hash"))
            #expect(broken.text.hasSuffix("2 records in 1 chains, 1 breaks"))

            let misuse = CapturedOutput()
            #expect(
                await AuditCommand.run(
                    service: "intake", arguments: ["check"], environment: environment, output: misuse.output) == 2)
            #expect(misuse.errorText == "usage: motcua-intake audit verify [--schema NAME]")
        }
    }

    /// A direct INSERT could write the next record of a chain without moving its head, so that
    /// every later append (`audit.append`, after the head) would fail on the taken sequence number.
    @Test func itsServiceMayOnlyAppendThroughTheFunctionsAndReadItsTrail() async throws {
        try await withTrail { trail in
            try await trail.append(2, to: "S-1")
            let inserts = [
                trail.records: "INSERT INTO \(trail.records) (at, unit_code, actor, action, subject, seq, hash) "
                    + "VALUES (now(), 'H01.40.23', 'staff-7', 'forged', 'S-1', 3, '\\x00')",
                trail.heads: "INSERT INTO \(trail.heads) (unit_code, subject, seq) VALUES ('H01.40.23', 'S-2', 5)",
            ]
            for table in [trail.records, trail.heads] {
                for statement in [
                    inserts[table]!,
                    "UPDATE \(table) SET seq = seq", "DELETE FROM \(table)", "TRUNCATE \(table)",
                    "ALTER TABLE \(table) DROP COLUMN seq", "DROP TABLE \(table)",
                ] {
                    let error = await #expect(throws: PostgresError.self, "\(statement)") {
                        try await trail.pool.query(statement)
                    }
                    #expect(error?.sqlState == PostgresError.insufficientPrivilege, "\(statement)")
                }
            }
            // Dropping its own schema (which it owns) takes only its views of the trail.
            try await trail.pool.query("DROP SCHEMA intake CASCADE")
            let count = try await trail.pool.query("SELECT count(*) FROM \(trail.records)").single()
                .decode(Int.self, at: 0)
            #expect(count == 2)
            try await trail.append(1, to: "S-1")
            #expect(try await trail.verify().isIntact)
        }
    }
}
