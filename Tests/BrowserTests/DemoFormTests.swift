import BrowserTestSupport
import HTTPTestSupport
import Testing

/// A form of the shared layout in a real browser at a phone's width.
@Suite struct DemoFormTests {
    @Test func badPhoneIsAnsweredWithTheVietnameseMessageBesideThePhoneField() async throws {
        try await DemoSite.serve { port in
            try await withBrowser { browser in
                try await browser.open("http://127.0.0.1:\(port)/demo")
                #expect(try await browser.title() == "Đăng ký nhận tin – Tiếp nhận hồ sơ – UBND phường Bến Thành")

                let name = "Trần \"Bình\" <script>alert(1)</script>"
                try await browser.element("#f-applicant-name").type(name)
                try await browser.element("#f-applicant-phone").type("09123")
                try await browser.element("button[type=submit]").click()

                let message = try await browser.waitForElement("#f-applicant-phone-error")
                let shown = try await message.text()
                // "Lỗi:" is for screen readers only; the visible text is the server's message.
                #expect(shown.hasPrefix("Lỗi:"))
                #expect(shown.hasSuffix("Số điện thoại phải gồm 10 chữ số và bắt đầu bằng số 0."))
                let phone = try await browser.element("#f-applicant-phone")
                #expect(try await phone.attribute("aria-invalid") == "true")
                #expect(
                    try await phone.attribute("aria-describedby") == "f-applicant-phone-hint f-applicant-phone-error")
                #expect(try await phone.attribute("value") == "09123")
                // The message sits in the phone field's own group, just before the input.
                #expect(
                    try await browser.elements(".field--error > #f-applicant-phone-error + #f-applicant-phone").count
                        == 1)
                #expect(try await browser.element("#f-applicant-name").attribute("value") == name)
                #expect(try await browser.element("#f-applicant-name").attribute("aria-invalid") == nil)
                let summaryLink = try await browser.element(".problem-summary a")
                #expect(try await summaryLink.attribute("href") == "#f-applicant-phone")

                let source = try await browser.pageSource()
                #expect(!source.contains("<script"), "the name typed must come back escaped")
                #expect(!source.contains("style="))
                // The one severe line allowed: the 422 itself, which Chromium reports as a failed load.
                let problems = try await browser.log().filter {
                    $0.isSevere
                        && !($0.source == "network"
                            && $0.message.contains(
                                "/demo - Failed to load resource: the server responded with a status of 422"))
                }
                #expect(problems.isEmpty, "console errors or CSP violations: \(problems)")
                try await browser.saveScreenshot("badPhoneIsAnsweredWithTheVietnameseMessageBesideThePhoneField")

                try await browser.pressTab()
                #expect(try await browser.focusedElement().attribute("class") == "skip-link")

                try await phone.clear()
                try await phone.type("0912345678")
                try await browser.element("button[type=submit]").click()
                let thanks = try await browser.waitForElement(".confirmation")
                #expect(try await thanks.text() == "Đã ghi nhận đăng ký của \(name).")
                #expect(try await browser.log().filter(\.isSevere).isEmpty)
            }
        }
    }

    @Test func badPhoneIsA422WithTheStrictPolicyHeaders() async throws {
        try await DemoSite.serve { port in
            let response = try await TestClient.request(
                port: port, method: "POST", path: "/demo",
                headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: Array("_csrf=\(DemoSite.csrfToken)&applicant.name=An&applicant.phone=12".utf8))
            #expect(response.status == 422)
            #expect(
                response.headers["content-security-policy"]?.hasPrefix("default-src 'none'; style-src 'self'") == true)
            #expect(response.headers["x-content-type-options"] == "nosniff")
            #expect(response.text.contains("id=\"f-applicant-phone-error\""))
            let stylesheet = try await TestClient.request(port: port, path: "/assets/motcua.css")
            #expect(stylesheet.headers["content-type"] == "text/css; charset=utf-8")
        }
    }
}
