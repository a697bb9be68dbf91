import Foundation
import HTTP
@testable import Intake
import ServiceKit
import ServiceTestSupport
import Testing

/// The brake on guessing passwords: a back-off per account and client address that expires, an
/// account-wide ceiling that slows but never locks for good, and the same answer whether or not
/// the account exists.
@Suite struct SignInLockoutTests {
    private let wrong = "mật-khẩu-sai-rồi"

    @Test func aBlockedAccountAndAnUnknownUsernameGetTheSameAnswer() async throws {
        try await withIntake { harness in
            try await harness.administrator("admin")
            for _ in 1...5 {
                #expect(try await harness.login("admin", wrong, from: "203.0.113.7").status == 401)
                #expect(try await harness.login("nobody", wrong, from: "203.0.113.7").status == 401)
            }
            let known = try await harness.login("admin", wrong, from: "203.0.113.7")
            let unknown = try await harness.login("nobody", wrong, from: "203.0.113.7")
            #expect(known.status == 429 && unknown.status == known.status)
            let (a, b) = (try #require(known.problem), try #require(unknown.problem))
            #expect(a.code == b.code && a.title == b.title && a.detail == b.detail && a.type == b.type)
            #expect(known.headers["Retry-After"] == "60" && unknown.headers["Retry-After"] == "60")
            #expect(known.problem?.code == "too_many_attempts")
        }
    }

    @Test func theBackOffHoldsForTheGuessingClientOnlyDoublesAndExpires() async throws {
        try await withIntake { harness in
            try await harness.administrator("admin")
            for _ in 1...5 { _ = try await harness.login("admin", wrong, from: "203.0.113.7") }
            #expect(
                try await harness.login("admin", from: "203.0.113.7").status == 429,
                "not even the right password from the guessing client")
            #expect(try await harness.login("admin", from: "198.51.100.2").status == 200, "another client signs in")
            harness.clock.advance(by: 60)
            #expect(try await harness.login("admin", wrong, from: "203.0.113.7").status == 401)
            let doubled = try await harness.login("admin", wrong, from: "203.0.113.7")
            #expect(doubled.status == 429 && doubled.headers["Retry-After"] == "120")
            harness.clock.advance(by: 120)
            #expect(try await harness.login("admin", from: "203.0.113.7").status == 200, "the back-off expired")
            #expect(try await harness.login("admin", wrong, from: "203.0.113.7").status == 401, "and was cleared")
        }
    }

    @Test func manyClientsGuessingSlowTheAccountButNeverLockItForGood() async throws {
        try await withIntake { harness in
            try await harness.administrator("admin")
            let ceiling = SignInPolicy.standard.accountCeiling
            for attempt in 0..<ceiling {
                _ = try await harness.login("admin", wrong, from: "203.0.113.\(attempt / 4)")
            }
            let slowed = try await harness.login("admin", from: "198.51.100.2")
            #expect(slowed.status == 429, "\(slowed.html)")
            harness.clock.advance(by: TimeInterval(SignInPolicy.standard.accountBackOffCap.components.seconds))
            #expect(try await harness.login("admin", from: "198.51.100.2").status == 200)
        }
    }

    @Test func anAdministratorUnlocksEnablesAndDisablesThroughTheAPI() async throws {
        try await withIntake { harness in
            try await harness.administrator("admin", province: province)
            let clerk = try await harness.staff("clerk", roles: [.receptionist])
            for _ in 1...5 { _ = try await harness.login("clerk", wrong) }
            #expect(try await harness.login("clerk").status == 429)
            let manager = TestPrincipal.province(.provinceAdmin, code: province)
            let unlock = await harness.request("POST", "/api/staff/\(clerk.id)/unlock", as: manager)
            #expect(unlock.status == 200, "\(unlock.html)")
            #expect(try await harness.login("clerk").status == 200)
            #expect(await harness.request("POST", "/api/staff/\(clerk.id)/disable", as: manager).status == 200)
            #expect(try await harness.login("clerk").status == 403)
            let enable = await harness.request("POST", "/api/staff/\(clerk.id)/enable", as: manager)
            #expect(enable.status == 200)
            #expect(try enable.decoded(StaffMember.self).disabled == false)
            #expect(try await harness.login("clerk").status == 200)
            let audited = try await harness.database.pool(maxConnections: 1).query(
                "SELECT array_agg(action ORDER BY id) FROM intake.audit_trail WHERE subject = $1 AND action NOT LIKE 'staff.sign%'",
                ["staff:\(clerk.id)"]
            ).single().decode([String].self, at: 0)
            #expect(audited == ["staff.created", "staff.unlocked", "staff.disabled", "staff.enabled"])
        }
    }
}
