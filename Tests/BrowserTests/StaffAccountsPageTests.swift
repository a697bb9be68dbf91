import BrowserTestSupport
import Foundation
import HTTP
@testable import Intake
import ServiceKit
import ServiceTestSupport
import Testing

/// `/can-bo` in headless Chromium at a phone's width: an administrator re-enables a disabled
/// account with the keyboard.
@Suite struct StaffAccountsPageTests {
    @Test func anAdministratorReenablesADisabledAccountFromThePage() async throws {
        try await IntakeSite.serve { site in
            let harness = site.harness
            let (admin, _) = try await AdminCommand.create(
                .init(username: "quantri", fullName: "Quản trị phường", password: "mật-khẩu-đủ-dài", province: nil),
                context: harness.context)
            let token = harness.signer.token(for: admin.principal, now: harness.clock.now)
            let bearer: HTTPHeaders = ["Authorization": "Bearer \(token)", "Content-Type": "application/json"]
            let created = await harness.request(
                "POST", "/api/staff",
                body: Array(
                    #"{"username":"quay1","fullName":"Trần Thị Quầy","roles":["receptionist"],"password":"mật-khẩu-đủ-dài"}"#
                        .utf8), headers: bearer)
            #expect(created.status == 201)
            let clerk = try JSONDecoder().decode(StaffMemberID.self, from: Data(created.body)).id
            #expect(await harness.request("POST", "/api/staff/\(clerk)/disable", headers: bearer).status == 200)

            try await withBrowser { browser in
                let base = "http://127.0.0.1:\(site.port)"
                try await browser.open("\(base)/tra-cuu")
                try await browser.addCookie(name: RequireStaff.sessionCookie, value: token)
                try await browser.open("\(base)/ho-so")
                try await browser.element(".site-nav a[href='/can-bo']").click()
                let row = try await browser.waitForElement("#tk-\(clerk)")
                #expect(try await row.text().contains("Đã vô hiệu hoá"))
                try await browser.saveScreenshot("intakeStaffAccounts")
                // Enter on the focused button, as a keyboard user.
                try await browser.element("#tk-\(clerk) form[action$='/kich-hoat'] button").type("\u{E007}")
                _ = try await browser.waitForElement(".notice--success")
                #expect(try await browser.element("#tk-\(clerk)").text().contains("Đang hoạt động"))
                try await browser.saveScreenshot("intakeStaffAccountReenabled")
                let severe = try await browser.log().filter(\.isSevere)
                #expect(severe.isEmpty, "console errors or CSP violations: \(severe)")
            }
            let audited = try await harness.context.pool.query(
                "SELECT count(*) FROM audit_trail WHERE action = 'staff.enabled' AND subject = $1", ["staff:\(clerk)"]
            ).single().decode(Int.self, at: 0)
            #expect(audited == 1)
        }
    }
}

/// The id of an account the API answers.
private struct StaffMemberID: Decodable {
    let id: String
}
