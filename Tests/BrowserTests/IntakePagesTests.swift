import BrowserTestSupport
import Foundation
import HTTP
import Intake
import Observability
import ProcessTestSupport
import ServiceKit
import ServiceTestSupport
import Testing

/// Intake's pages in headless Chromium at a phone's width, served over a real socket: a
/// receptionist receives a dossier, prints the slip whose QR code reads back as the lookup's
/// address, and the citizen looks the dossier up.
@Suite struct IntakePagesTests {
    @Test func aReceptionistReceivesADossierPrintsTheSlipWhoseQRCodeLeadsTheCitizenToTheLookup() async throws {
        try await IntakeSite.serve { site in
            try await withBrowser { browser in
                let base = "http://127.0.0.1:\(site.port)"
                try await browser.open("\(base)/tra-cuu")
                try await browser.addCookie(
                    name: RequireStaff.sessionCookie,
                    value: site.harness.token(for: .staff(.receptionist, id: "tn-01")))

                try await browser.open("\(base)/ho-so/tiep-nhan")
                try await browser.element("#f-thu-tuc option[value='1.001193']").click()
                try await browser.element("form[method=get] button[type=submit]").click()
                _ = try await browser.waitForElement("#f-applicant-fullName")
                try await browser.element("#f-applicant-fullName").type("Lê Thị Hồng")
                try await browser.element("#f-applicant-cccd").type("079190001234")
                try await browser.element("#f-applicant-phone").type("0987654321")
                try await browser.element("#f-applicant-address").type("45 Lê Lợi, phường Bến Thành")
                try await browser.saveScreenshot("intakeReceiveForm")
                try await browser.element("form[method=post] button[type=submit]").click()

                let notice = try await browser.waitForElement(".notice--success")
                #expect(try await notice.text().contains("Đã tiếp nhận hồ sơ H01.40.23-260305-0001"))
                try await browser.saveScreenshot("intakeDossierReceived")
                try await browser.element(".notice--success a").click()

                _ = try await browser.waitForElement(".document-qr img")
                #expect(try await browser.title().hasPrefix("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"))
                let slip = try await browser.saveScreenshot("intakeReceiptSlip")
                let lookup = "\(base)/tra-cuu?ma=H01.40.23-260305-0001"
                #expect(try await IntakeSite.decodeQR(slip) == lookup)

                try await browser.open(lookup)
                try await browser.element("#f-sdt").type("4321")
                try await browser.element("form[method=post] button[type=submit]").click()
                let result = try await browser.waitForElement(".result")
                let shown = try await result.text()
                #expect(shown.contains("Đã tiếp nhận") && shown.contains("Đăng ký khai sinh"))
                #expect(!shown.contains("Lê Thị Hồng") && !shown.contains("0987654321"))
                try await browser.saveScreenshot("intakeCitizenLooksUpTheDossier")

                try await browser.open("\(base)/ho-so")
                _ = try await browser.waitForElement(".queue-item")
                try await browser.saveScreenshot("intakeQueue")
                let severe = try await browser.log().filter(\.isSevere)
                #expect(severe.isEmpty, "console errors or CSP violations: \(severe)")
            }
        }
    }
}

/// Intake on a loopback port, over its own test database.
struct IntakeSite {
    let harness: ServiceHarness<IntakeService>
    let port: Int

    /// Runs `body` with intake served by `HTTPServer`, then stops the server and drops the database.
    static func serve(_ body: (IntakeSite) async throws -> Void) async throws {
        let harness = try await ServiceHarness.start(IntakeService())
        let server = HTTPServer(
            configuration: .init(port: 0), responder: harness.responder,
            logger: Logger(service: "intake-browser-tests", level: .warning, sink: .memory()),
            metrics: MetricsRegistry())
        do {
            try server.start()
            try await body(IntakeSite(harness: harness, port: server.port))
        } catch {
            await server.shutdown(timeout: .seconds(2))
            await harness.close()
            throw error
        }
        await server.shutdown(timeout: .seconds(2))
        await harness.close()
    }

    /// The text of the QR code in the PNG at `path`, read by `zbarimg` (Debian's zbar-tools).
    static func decodeQR(_ path: String) async throws -> String {
        let zbarimg = try ChildProcess.start(URL(fileURLWithPath: "/usr/bin/zbarimg"), ["--raw", "-q", path])
        let status = try await zbarimg.exitStatus(within: .seconds(20))
        #expect(status == 0, "zbarimg: \(zbarimg.allOutput)")
        return zbarimg.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
