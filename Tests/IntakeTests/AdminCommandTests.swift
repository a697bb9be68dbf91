import Foundation
import HTTP
@testable import Intake
import ServiceKit
import ServiceTestSupport
import Testing

/// `motcua-intake admin create`, run as the operator runs it: through `DATABASE_URL`'s role.
@Suite struct AdminCommandTests {
    @Test func createsTheProvinceAdminAndTheDefaultUnitOnceThenRefusesTheSameUsername() async throws {
        try await withIntake { harness in
            let arguments = ["create", "--username", "admin", "--full-name", "Quản trị tỉnh", "--province", province]
            let first = CapturedOutput()
            let status = await AdminCommand.run(
                arguments, environment: harness.commandEnvironment, output: first.output, standardInput: { password + "\n" })
            #expect(status == 0, "\(first.text)")
            #expect(first.text.contains("registered the default unit \(harness.ward)"))
            #expect(first.text.contains("created province admin of province \(province): admin"))
            let session = try (try await harness.login("admin")).decoded(SignedIn.self)
            #expect(session.staff.roles == ["province_admin"] && session.staff.unitCode == "province:\(province)")
            let units = try await harness.database.pool(maxConnections: 1).query(
                "SELECT (SELECT count(*) FROM intake.units), (SELECT count(*) FROM mq.events WHERE topic = 'unit.registered')"
            ).single().decode(Int.self, Int.self)
            #expect(units == (1, 1))

            let second = CapturedOutput()
            let again = await AdminCommand.run(
                arguments, environment: harness.commandEnvironment, output: second.output,
                standardInput: { "another-password" })
            #expect(again == 1)
            #expect(second.text.contains("already exists; nothing was changed"))
            #expect(try await harness.login("admin").status == 200, "the first password still signs in")
        }
    }

    @Test func readsThePasswordFromAFileAndMakesTheWardsAdminWithoutProvince() async throws {
        try await withIntake { harness in
            let file = FileManager.default.temporaryDirectory.path + "/motcua-admin-\(UUID()).txt"
            try (password + "\n").write(toFile: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: file) }
            let output = CapturedOutput()
            let status = await AdminCommand.run(
                ["create", "--username", "quantri", "--full-name", "Quản trị phường", "--password-file", file],
                environment: harness.commandEnvironment, output: output.output, standardInput: { "" })
            #expect(status == 0, "\(output.text)")
            let session = try (try await harness.login("quantri")).decoded(SignedIn.self)
            #expect(session.staff.roles == ["admin"] && session.staff.unitCode == harness.ward)
        }
    }

    @Test func misuseAndAWeakPasswordExit2SayingWhy() async throws {
        try await withIntake { harness in
            let missing = CapturedOutput()
            #expect(
                await AdminCommand.run(
                    ["create", "--full-name", "X"], environment: harness.commandEnvironment, output: missing.output,
                    standardInput: { password }) == 2)
            #expect(missing.text.contains("--username and --full-name are required"))
            let weak = CapturedOutput()
            #expect(
                await AdminCommand.run(
                    ["create", "--username", "admin", "--full-name", "X"], environment: harness.commandEnvironment,
                    output: weak.output, standardInput: { "short" }) == 2)
            #expect(weak.text.contains("password"))
        }
    }

    @Test func unlocksDisablesAndEnablesAnAccountAuditingEach() async throws {
        try await withIntake { harness in
            try await harness.administrator("admin")
            for _ in 1...5 { _ = try await harness.login("admin", "mật-khẩu-sai-rồi") }
            #expect(try await harness.login("admin").status == 429)
            func admin(_ arguments: [String]) async -> (Int32, String) {
                let output = CapturedOutput()
                let status = await AdminCommand.run(
                    arguments, environment: harness.commandEnvironment, output: output.output, standardInput: { "" })
                return (status, output.text)
            }
            let unlocked = await admin(["unlock", "--username", "admin"])
            #expect(unlocked.0 == 0, "\(unlocked.1)")
            #expect(try await harness.login("admin").status == 200)
            #expect(await admin(["disable", "--username", "admin"]).0 == 0)
            #expect(try await harness.login("admin").status == 403)
            #expect(await admin(["enable", "--username", "admin"]).0 == 0)
            #expect(try await harness.login("admin").status == 200)
            let unknown = await admin(["unlock", "--username", "nobody"])
            #expect(unknown.0 == 1 && unknown.1.contains("nobody"))
            let audited = try await harness.database.pool(maxConnections: 1).query(
                "SELECT array_agg(action ORDER BY id) FROM intake.audit_trail WHERE action IN ('staff.unlocked', 'staff.disabled', 'staff.enabled')"
            ).single().decode([String].self, at: 0)
            #expect(audited == ["staff.unlocked", "staff.disabled", "staff.enabled"])
        }
    }
}
