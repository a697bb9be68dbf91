import Foundation
import HTTP
import Intake
import ServiceKit
import ServiceTestSupport
import Testing

/// `/ho-so/tiep-nhan`: a receptionist signed in with the session cookie receives a dossier.
@Suite struct PagesReceiveTests {
    @Test func choosingTheProcedureShowsItsFeeComponentsAndTheAppointmentDateBeforeSaving() async throws {
        try await withIntake { harness async throws in
            harness.setVietnamTime("2026-03-05", 9)  // Thursday
            let session = PageSession(harness, as: receptionist)
            let page = await session.get("/ho-so/tiep-nhan?thu-tuc=2.000815")
            #expect(page.status == 200)
            #expect(page.headers["Content-Security-Policy"]?.hasPrefix("default-src 'none'") == true)
            #expect(page.html.contains("50.000 đ"))
            #expect(page.html.contains("Dự thảo hợp đồng, giao dịch (bắt buộc)"))
            #expect(page.html.contains("2 ngày làm việc"))
            #expect(page.html.contains("Thứ Hai, 09/03/2026"))  // 2 working days from Thursday
            #expect(PageSession.csrfToken(in: page.html) != nil)
        }
    }

    @Test func aBadFieldIsA422WithTheMessageBesideItAndTheNameEscaped() async throws {
        try await withIntake { harness async throws in
            let session = PageSession(harness, as: receptionist)
            let form = await session.get("/ho-so/tiep-nhan?thu-tuc=1.001193")
            let name = "Trần <script>alert(1)</script>"
            let fields = receiveFields(name: name, phone: "0912").map {
                $0.0 == "components.GCS.documentId" ? ($0.0, "") : $0
            }
            let refused = await session.post("/ho-so/tiep-nhan", fields, from: form)
            #expect(refused.status == 422)
            let html = refused.html
            #expect(!html.contains("<script>"))
            #expect(html.contains("value=\"Trần &lt;script&gt;alert(1)&lt;/script&gt;\""))
            // Each message in its field's group, before the control, which names it.
            #expect(html.contains("<p class=\"field-error\" id=\"f-applicant-phone-error\">"))
            #expect(
                html.contains(
                    "aria-describedby=\"f-applicant-phone-hint f-applicant-phone-error\" aria-invalid=\"true\""))
            #expect(html.contains("id=\"f-components-GCS-documentId-error\""))
            #expect(html.contains("<a href=\"#f-applicant-phone\">"))
            #expect(
                try await harness.context.pool.query("SELECT count(*) FROM dossiers").single().decode(Int.self, at: 0)
                    == 0)
        }
    }

    @Test func aGoodFormReceivesTheDossierAndRedirectsToItsPage() async throws {
        try await withIntake { harness async throws in
            let session = PageSession(harness, as: receptionist)
            let form = await session.get("/ho-so/tiep-nhan?thu-tuc=1.001193")
            let saved = await session.post("/ho-so/tiep-nhan", receiveFields(), from: form)
            #expect(saved.status == 303)
            let location = try #require(saved.location)
            #expect(location.hasPrefix("/ho-so/H01.40.23-260305-0001"))
            let page = await session.get(location)
            #expect(page.status == 200)
            #expect(page.html.contains("Đã tiếp nhận hồ sơ H01.40.23-260305-0001"))
            #expect(page.html.contains("/ho-so/H01.40.23-260305-0001/in/giay-tiep-nhan"))
            #expect(page.html.contains("Tài liệu điện tử <span class=\"code\">doc-1</span>"))
        }
    }

    @Test func aPostWithoutTheCSRFTokenIsRefused() async throws {
        try await withIntake { harness async throws in
            let response = await PageSession(harness, as: receptionist).post("/ho-so/tiep-nhan", receiveFields())
            #expect(response.status == 403)
            #expect(response.headers["Content-Type"] == "text/html; charset=utf-8")
            #expect(response.html.contains("Biểu mẫu đã hết hạn"))
        }
    }

    @Test func withoutSigningInThePageSaysSoAndLinksToSignIn() async throws {
        try await withIntake { harness async throws in
            let response = await PageSession(harness).get("/ho-so/tiep-nhan")
            #expect(response.status == 401)
            #expect(response.html.contains("href=\"/dang-nhap?next=%2Fho-so%2Ftiep-nhan\""))
            let handlerOnly = await PageSession(harness, as: handler).get("/ho-so/tiep-nhan")
            #expect(handlerOnly.status == 403)
        }
    }
}
