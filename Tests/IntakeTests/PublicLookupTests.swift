import Foundation
import HTTP
import Intake
import ServiceKit
import ServiceTestSupport
import Testing

/// The citizen's side: lookup by code and phone, what is missing, rating once after return.
@Suite struct PublicLookupTests {
    @Test func theLookupShowsStatusAndDatesButNothingPersonalAndRefusesAWrongPhone() async throws {
        try await withIntake { harness async throws in
            let dossier = try await harness.request("POST", "/api/dossiers", json: receiptBody(), as: receptionist)
                .decoded(DossierJSON.self)
            let found = await harness.request("GET", "/api/public/dossiers/\(dossier.code)?phone=5678")
            #expect(found.status == 200)
            let text = String(decoding: found.body, as: UTF8.self)
            for personal in ["Nguyễn Văn An", "001203004567", "0912345678", "Hàng Bạc"] {
                #expect(!text.contains(personal), "\(personal) in \(text)")
            }
            let view = try found.decoded(PublicView.self)
            #expect(view.status == "received" && view.statusName == "đã tiếp nhận" && view.appointmentDate != nil)
            var details: Set<String?> = []
            for wrong in ["1234", "", "78"] {
                let response = await harness.request("GET", "/api/public/dossiers/\(dossier.code)?phone=\(wrong)")
                #expect(response.status == 404)
                #expect(response.problem?.code == "dossier_not_found")
                details.insert(response.problem?.detail)
            }
            // A code that does not exist is answered exactly as a wrong phone: no oracle for codes.
            let otherCode = await harness.request("GET", "/api/public/dossiers/H01.40.23-260305-0099?phone=5678")
            #expect(otherCode.status == 404)
            details.insert(otherCode.problem?.detail)
            #expect(details.count == 1)
        }
    }

    @Test func wrongPairsAreRateLimitedSoCodesCannotBeEnumerated() async throws {
        try await withIntake { harness async throws in
            for sequence in 1...10 {
                let code = "H01.40.23-260305-" + String(format: "%04d", sequence)
                #expect(await harness.request("GET", "/api/public/dossiers/\(code)?phone=1111").status == 404)
            }
            let refused = await harness.request("GET", "/api/public/dossiers/H01.40.23-260305-0011?phone=1111")
            #expect(refused.status == 429)
            let elsewhere = await harness.request(
                "GET", "/api/public/dossiers/H01.40.23-260305-0011?phone=1111", remoteAddress: "10.0.0.9")
            #expect(elsewhere.status == 404)
            harness.clock.advance(by: 16 * 60)
            #expect(await harness.request("GET", "/api/public/dossiers/H01.40.23-260305-0011?phone=1111").status == 404)
        }
    }

    @Test func aSupplementRequestShowsWhatIsMissingAndWhy() async throws {
        try await withIntake { harness async throws in
            let dossier = try await harness.request(
                "POST", "/api/public/dossiers", json: receiptBody(components: [["code": "TK"], ["code": "GCS"]])
            ).decoded(PublicView.self)
            _ = try await harness.request(
                "POST", "/api/dossiers/\(dossier.code)/request-supplement",
                json: ["reasonCode": "illegible_document", "reason": "Giấy chứng sinh bị nhòe, cần bản rõ hơn"],
                as: receptionist)
            let view = try await harness.request("GET", "/api/public/dossiers/\(dossier.code)?phone=0912345678")
                .decoded(PublicLookupJSON.self)
            #expect(view.status == "supplement_requested")
            #expect(view.supplementReason == "Giấy chứng sinh bị nhòe, cần bản rõ hơn")
        }
    }

    @Test func aCitizenRatesOnceAndOnlyAfterReturn() async throws {
        try await withIntake { harness async throws in
            let code = try await harness.request("POST", "/api/dossiers", json: receiptBody(), as: receptionist)
                .decoded(DossierJSON.self).code
            let rating: [String: AnyJSON] = [
                "phone": .string("5678"), "score": .int(5), "comment": .string("Nhanh, chu đáo"),
            ]
            #expect(
                try await harness.request("POST", "/api/public/dossiers/\(code)/rating", json: rating).status == 409)
            let staff = TestPrincipal.staff(.receptionist, .handler, id: "all-1")
            _ = await harness.request("POST", "/api/dossiers/\(code)/start", as: staff)
            _ = try await harness.request(
                "POST", "/api/dossiers/\(code)/complete", json: ["paperResult": true], as: staff)
            _ = try await harness.request("POST", "/api/dossiers/\(code)/return", json: [String: String](), as: staff)
            #expect(
                try await harness.request("POST", "/api/public/dossiers/\(code)/rating", json: rating).status == 204)
            let again = try await harness.request("POST", "/api/public/dossiers/\(code)/rating", json: rating)
            #expect(again.status == 409 && again.problem?.code == "already_rated")
            let bad: [String: AnyJSON] = ["phone": .string("5678"), "score": .int(9)]
            #expect(try await harness.request("POST", "/api/public/dossiers/\(code)/rating", json: bad).status == 422)
            #expect(try await harness.events().contains { $0.topic == "rating.submitted" && $0.key == code })
        }
    }
}

struct PublicLookupJSON: Decodable {
    let status: String
    let supplementReason: String?
    let missing: [String]
}
