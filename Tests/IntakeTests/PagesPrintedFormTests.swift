import Foundation
import HTTP
import Intake
import ServiceKit
import ServiceTestSupport
import Testing

/// `/ho-so/{code}/in/{form}` and `/ho-so/so-theo-doi`: TT 03/2025's printed forms.
@Suite struct PagesPrintedFormTests {
    @Test func theReceiptSlipCarriesTheFieldsOfForm01AndAQRCodeToTheLookup() async throws {
        try await withIntake { harness async throws in
            let code = try await harness.request("POST", "/api/dossiers", json: receiptBody(), as: receptionist)
                .decoded(DossierJSON.self).code
            let slip = await PageSession(harness, as: receptionist).get(
                "/ho-so/\(code)/in/giay-tiep-nhan", headers: ["Host": "motcua.example"])
            #expect(slip.status == 200)
            let html = slip.html
            for text in [
                "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "Mã hồ sơ: <strong>\(code)</strong>", "Nguyễn Văn An",
                "Tờ khai đăng ký khai sinh – bản giấy",
                "(hoặc văn bản của người làm chứng, giấy cam đoan về việc sinh) – bản điện tử", "Số lượng hồ sơ: 01 bộ",
                "08 giờ 00 phút, ngày 05/03/2026", "Thứ Năm, 05/03/2026", "Phí, lệ phí: không thu",
                "Quyển số: 2026, Số thứ tự: 1", "http://motcua.example/tra-cuu?ma=\(code)",
                "<img src=\"data:image/svg+xml;base64,", "Người tiếp nhận hồ sơ",
            ] {
                #expect(html.contains(text), "\(text)")
            }
            #expect(!html.contains("style="))
        }
    }

    @Test func eachFormIsThereOnceTheDossierHasReachedItAndNotBefore() async throws {
        try await withIntake { harness async throws in
            let staff = TestPrincipal.staff(.receptionist, .handler, .leader, id: "all-1")
            let session = PageSession(harness, as: staff)
            let code = try await harness.request("POST", "/api/dossiers", json: receiptBody(), as: receptionist)
                .decoded(DossierJSON.self).code
            #expect(await session.get("/ho-so/\(code)/in/phieu-tu-choi").status == 409)
            #expect(await session.get("/ho-so/\(code)/in/khong-co").status == 404)
            _ = try await harness.request(
                "POST", "/api/dossiers/\(code)/request-supplement",
                json: ["reasonCode": "missing_signature", "reason": "Tờ khai thiếu chữ ký người yêu cầu"], as: staff)
            let supplement = await session.get("/ho-so/\(code)/in/phieu-yeu-cau-bo-sung")
            #expect(supplement.status == 200)
            #expect(supplement.html.contains("Tờ khai thiếu chữ ký người yêu cầu"))
            #expect(supplement.html.contains("Thiếu chữ ký, điểm chỉ hoặc xác nhận"))
            _ = await harness.request("POST", "/api/dossiers/\(code)/supplement", as: staff)
            _ = await harness.request(
                "POST", "/api/dossiers/\(code)/withdraw", body: Array(#"{"reason":"Người nộp xin rút"}"#.utf8),
                headers: ["Content-Type": "application/json"], as: staff)
            let stop = await session.get("/ho-so/\(code)/in/thong-bao-dung")
            #expect(stop.status == 200)
            #expect(stop.html.contains("Thông báo dừng giải quyết hồ sơ") && stop.html.contains("Người nộp xin rút"))
            let control = await session.get("/ho-so/\(code)/in/phieu-kiem-soat")
            #expect(control.html.components(separatedBy: "<tr>").count == 1 + 1 + 4)  // the head and four steps

            let refusedCode = try await harness.request("POST", "/api/dossiers", json: receiptBody(), as: receptionist)
                .decoded(DossierJSON.self).code
            _ = try await harness.request(
                "POST", "/api/dossiers/\(refusedCode)/refuse",
                json: ["reasonCode": "not_under_competence", "reason": "Thuộc thẩm quyền cấp tỉnh"], as: staff)
            let refusal = await session.get("/ho-so/\(refusedCode)/in/phieu-tu-choi")
            #expect(refusal.html.contains("Không thuộc thẩm quyền giải quyết của cơ quan"))

            let book = await session.get("/ho-so/so-theo-doi?from=2026-03-05&to=2026-03-05")
            #expect(book.status == 200)
            #expect(book.html.contains(code) && book.html.contains(refusedCode) && book.html.contains("2 hồ sơ"))
            #expect(await session.get("/ho-so/so-theo-doi?from=2026-03-05&to=2026-05-05").status == 422)
        }
    }

    @Test func anApologyCarriesTheOriginalAndTheNewDate() async throws {
        try await withIntake { harness async throws in
            harness.setVietnamTime("2026-03-02", 9)  // Monday
            let code = try await harness.request(
                "POST", "/api/dossiers",
                json: receiptBody(procedure: "2.000815", components: [["code": "DHD"], ["code": "GTTT"]]),
                as: receptionist
            ).decoded(DossierJSON.self).code
            harness.setVietnamTime("2026-03-04", 9)  // due today
            let session = PageSession(harness, as: leader)
            let page = await session.get("/ho-so/\(code)")
            let bad = await session.post(
                "/ho-so/\(code)/apologise",
                [("apologise.reason", "Chờ xác minh"), ("apologise.newAppointmentDate", "2026-03-07")], from: page)
            #expect(bad.status == 422)  // a Saturday
            #expect(bad.html.contains("id=\"f-apologise-newAppointmentDate-error\""))
            let done = await session.post(
                "/ho-so/\(code)/apologise",
                [
                    ("apologise.reason", "Chờ xác minh của cơ quan khác"),
                    ("apologise.newAppointmentDate", "2026-03-10"),
                ],
                from: page)
            #expect(done.status == 303)
            let letter = await session.get("/ho-so/\(code)/in/van-ban-xin-loi")
            #expect(letter.status == 200)
            for text in ["Thứ Tư, 04/03/2026", "Thứ Ba, 10/03/2026", "Chờ xác minh của cơ quan khác", "/PXL"] {
                #expect(letter.html.contains(text), "\(text)")
            }
        }
    }
}
