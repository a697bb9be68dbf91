import Foundation
import HTTP
import Intake
import ServiceKit
import ServiceTestSupport
import Testing

/// The citizens' pages: `/tra-cuu`, `/nop-truc-tuyen` and `/danh-gia/{code}`.
@Suite struct PagesPublicTests {
    @Test func theLookupShowsStatusAndDateButNothingPersonalAndAWrongPhoneIsRefusedOnThePage() async throws {
        try await withIntake { harness async throws in
            let code = try await harness.request("POST", "/api/dossiers", json: receiptBody(), as: receptionist)
                .decoded(DossierJSON.self).code
            let citizen = PageSession(harness)
            let form = await citizen.get("/tra-cuu?ma=\(code)")
            #expect(form.status == 200)
            #expect(form.html.contains("value=\"\(code)\""))
            let found = await citizen.post("/tra-cuu", [("ma", code), ("sdt", "5678")])
            #expect(found.status == 200)
            #expect(found.html.contains("Đã tiếp nhận") && found.html.contains("Đăng ký khai sinh"))
            #expect(found.html.contains("Thứ Năm, 05/03/2026"))
            for personal in ["Nguyễn Văn An", "001203004567", "0912345678", "Hàng Bạc"] {
                #expect(!found.html.contains(personal), "\(personal)")
            }
            let wrong = await citizen.post("/tra-cuu", [("ma", code), ("sdt", "1111")])
            #expect(wrong.status == 404)
            #expect(wrong.html.contains("Không tìm thấy hồ sơ với mã và số điện thoại này"))
            let malformed = await citizen.post("/tra-cuu", [("ma", "<script>"), ("sdt", "")])
            #expect(malformed.status == 422)
            #expect(malformed.html.contains("id=\"f-ma-error\"") && malformed.html.contains("id=\"f-sdt-error\""))
            #expect(!malformed.html.contains("<script>"))
        }
    }

    @Test func anOnlineSubmissionGivesTheCodeAndHowToLookItUp() async throws {
        try await withIntake { harness async throws in
            let citizen = PageSession(harness)
            let form = await citizen.get("/nop-truc-tuyen?thu-tuc=1.001193")
            #expect(form.status == 200)
            #expect(
                form.html.contains("Tờ khai đăng ký khai sinh (bắt buộc)") && !form.html.contains("name=\"channel\""))
            let refused = await citizen.post(
                "/nop-truc-tuyen",
                [("unitCode", harness.ward)]
                    + receiveFields().filter { $0.0 != "channel" }.map {
                        $0.0 == "applicant.cccd" ? ($0.0, "123") : $0
                    })
            #expect(refused.status == 422)
            #expect(refused.html.contains("id=\"f-applicant-cccd-error\""))
            let sent = await citizen.post(
                "/nop-truc-tuyen", [("unitCode", harness.ward)] + receiveFields().filter { $0.0 != "channel" })
            #expect(sent.status == 303)
            let done = await citizen.get(try #require(sent.location))
            #expect(done.html.contains("H01.40.23-260305-0001"))
            #expect(done.html.contains("href=\"/tra-cuu?ma=H01.40.23-260305-0001\""))
            let found = await citizen.post("/tra-cuu", [("ma", "H01.40.23-260305-0001"), ("sdt", "5678")])
            #expect(found.html.contains("Chờ tiếp nhận"))
        }
    }

    @Test func aCitizenRatesOnceAfterReturnThroughThePage() async throws {
        try await withIntake { harness async throws in
            let code = try await harness.request("POST", "/api/dossiers", json: receiptBody(), as: receptionist)
                .decoded(DossierJSON.self).code
            let citizen = PageSession(harness)
            let early = await citizen.post("/danh-gia/\(code)", [("phone", "5678"), ("score", "5"), ("comment", "")])
            #expect(early.status == 409)
            #expect(early.html.contains("Chỉ đánh giá được sau khi đã nhận kết quả"))
            let staff = TestPrincipal.staff(.receptionist, .handler, id: "all-1")
            _ = await harness.request("POST", "/api/dossiers/\(code)/start", as: staff)
            _ = try await harness.request(
                "POST", "/api/dossiers/\(code)/complete", json: ["paperResult": true], as: staff)
            _ = await harness.request("POST", "/api/dossiers/\(code)/return", as: staff)
            let lookup = await citizen.post("/tra-cuu", [("ma", code), ("sdt", "5678")])
            #expect(lookup.html.contains("href=\"/danh-gia/\(code)\""))
            let form = await citizen.get("/danh-gia/\(code)")
            #expect(form.status == 200)
            let outOfRange = await citizen.post("/danh-gia/\(code)", [("phone", "5678"), ("score", "9")])
            #expect(outOfRange.status == 422)
            #expect(outOfRange.html.contains("id=\"f-score-error\""))
            let rated = await citizen.post(
                "/danh-gia/\(code)", [("phone", "5678"), ("score", "4"), ("comment", "Nhanh <i>gọn</i>")])
            #expect(rated.status == 200)
            #expect(rated.html.contains("Cảm ơn"))
            let twice = await citizen.post("/danh-gia/\(code)", [("phone", "5678"), ("score", "5")])
            #expect(twice.status == 409)
            #expect(twice.html.contains("Hồ sơ này đã được đánh giá"))
        }
    }
}
