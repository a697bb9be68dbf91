import Foundation
import HTTP
@testable import Intake
import ServiceKit
import ServiceTestSupport
import Testing

/// `/can-bo`: an administrator sees the accounts with their state and re-enables, disables or
/// unlocks one with a button, through the API's code (checks and audit trail).
@Suite struct PagesStaffAccountsTests {
    @Test func anAdministratorReenablesADisabledAccountFromThePageAndTheAuditTrailSaysSo() async throws {
        try await withIntake { harness async throws in
            try await harness.administrator("quantri")
            let clerk = try await harness.staff("quay1", roles: [.receptionist])
            let off = await harness.request("POST", "/api/staff/\(clerk.id)/disable", as: .province(.provinceAdmin, code: province))
            #expect(off.status == 200)
            let admin = try await PageSession.signIn(harness, "quantri")
            let queue = await admin.get("/ho-so")
            #expect(queue.html.contains("href=\"/can-bo\""), "the staff navigation links to the accounts")
            let page = await admin.get("/can-bo")
            #expect(page.status == 200)
            #expect(page.html.contains("id=\"tk-\(clerk.id)\""))
            #expect(page.html.contains("Đã vô hiệu hoá"))
            #expect(page.html.contains("action=\"/can-bo/\(clerk.id)/kich-hoat\""))
            #expect((try await harness.login("quay1")).status == 403)

            let enabled = await admin.post("/can-bo/\(clerk.id)/kich-hoat", [], from: page)
            #expect(enabled.status == 303)
            #expect(enabled.location == "/can-bo?xong=kich-hoat#tk-\(clerk.id)")
            #expect((try await harness.login("quay1")).status == 200)
            let after = await admin.get(String(try #require(enabled.location).prefix { $0 != "#" }))
            #expect(after.html.contains("Đã kích hoạt lại tài khoản"))
            #expect(after.html.contains("action=\"/can-bo/\(clerk.id)/vo-hieu-hoa\""))
            let audited = try await harness.database.pool(maxConnections: 1).query(
                "SELECT count(*) FROM intake.audit_trail WHERE action = 'staff.enabled' AND subject = $1",
                ["staff:\(clerk.id)"]
            ).single().decode(Int.self, at: 0)
            #expect(audited == 1)

            // The same button again (a second tab): the server's message beside the account's buttons.
            let again = await admin.post("/can-bo/\(clerk.id)/kich-hoat", [], from: page)
            #expect(again.status == 409)
            let row = try #require(again.html.split(separator: "id=\"tk-\(clerk.id)\"").last)
            #expect(row.contains("Tài khoản không bị vô hiệu hoá."))
            #expect(row.components(separatedBy: "</li>").first?.contains("role=\"alert\"") == true)
            // Without the form token: refused.
            #expect(await admin.post("/can-bo/\(clerk.id)/vo-hieu-hoa", []).status == 403)
        }
    }

    @Test func onlyAdministratorsSeeTheAccountsPageAndItsLink() async throws {
        try await withIntake { harness async throws in
            try await harness.administrator("quantri")
            try await harness.staff("quay1", roles: [.receptionist])
            let clerk = try await PageSession.signIn(harness, "quay1")
            #expect(await clerk.get("/can-bo").status == 403)
            #expect(!(await clerk.get("/ho-so")).html.contains("href=\"/can-bo\""))
            #expect(await PageSession(harness).get("/can-bo").status == 401)
        }
    }
}
