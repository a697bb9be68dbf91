import Domain
import Events
import Foundation
import HTTP
import Intake
import Postgres
import ServiceKit
import ServiceTestSupport
import Testing

/// A dossier's whole life through intake's API, with every event checked.
@Suite struct DossierLifeTests {
    @Test func aFeeBearingDossierIsReceivedSupplementedCompletedPaidAndReturned() async throws {
        try await withIntake { harness async throws in
            harness.setVietnamTime("2026-03-05", 9)  // Thursday
            let body = receiptBody(
                procedure: "2.000815", components: [["code": "DHD", "documentId": "doc-7"], ["code": "GTTT"]])
            let received = try await harness.request("POST", "/api/dossiers", json: body, as: receptionist)
            #expect(received.status == 201, "\(String(decoding: received.body, as: UTF8.self))")
            let dossier = try received.decoded(DossierJSON.self)
            #expect(dossier.code == "H01.40.23-260305-0001")
            #expect(dossier.status == "received" && dossier.channel == "counter")
            #expect(dossier.appointmentDate == "2026-03-09")  // 2 working days: Friday, Monday
            #expect(dossier.deadlineState == "on_track")
            let path = "/api/dossiers/\(dossier.code)"

            #expect(await harness.request("POST", "\(path)/start", as: handler).status == 200)
            harness.setVietnamTime("2026-03-05", 10)
            let asked = try await harness.request(
                "POST", "\(path)/request-supplement",
                json: ["reasonCode": "invalid_copy", "reason": "Bản sao giấy tờ tùy thân bị mờ"], as: handler)
            #expect(try asked.decoded(DossierJSON.self).status == "supplement_requested")
            #expect(try asked.decoded(DossierJSON.self).paused)
            harness.setVietnamTime("2026-03-06", 9)  // supplied the next day: the due date moves by one working day
            let supplied = try await harness.request(
                "POST", "\(path)/supplement", json: [String: String](), as: receptionist)
            let resumed = try supplied.decoded(DossierJSON.self)
            #expect(resumed.status == "in_progress" && resumed.appointmentDate == "2026-03-10")
            let again = try await harness.request(
                "POST", "\(path)/request-supplement", json: ["reason": "Lần nữa"], as: handler)
            #expect(again.status == 409)
            #expect(again.problem?.code == "supplement_already_requested")

            let completed = try await harness.request(
                "POST", "\(path)/complete", json: ["paperResult": true], as: handler)
            #expect(try completed.decoded(DossierJSON.self).status == "completed")
            let early = try await harness.request("POST", "\(path)/return", json: [String: String](), as: receptionist)
            #expect(early.status == 409)
            #expect(early.problem?.code == "fee_outstanding")

            let payment = harness.database.pool(as: "payment", maxConnections: 1)
            try await payment.transaction { tx in
                try await tx.publish(
                    "payment.settled", key: dossier.code,
                    Envelope(
                        eventId: UUID(), occurredAt: harness.clock.now, wardCode: harness.ward,
                        data: PaymentSettled(
                            dossierCode: try DossierCode(parsing: dossier.code), paymentId: "p-1",
                            amount: Money(dong: 50_000), channel: .vietQR, receiptNumber: "BL-1",
                            settledAt: harness.clock.now)))
            }
            await payment.close()
            try await harness.runConsumersUntilIdle()
            let returned = try await harness.request(
                "POST", "\(path)/return", json: [String: String](), as: receptionist)
            #expect(returned.status == 200)
            let final = try returned.decoded(DossierJSON.self)
            #expect(final.status == "returned" && final.allowedActions.isEmpty)
            #expect(
                final.timeline.map(\.action) == [
                    "receive", "start", "request_supplement", "supplement", "complete", "payment_settled", "return",
                ])

            let topics = try await harness.events().filter { $0.key == dossier.code }.map(\.topic)
            #expect(
                topics == [
                    "dossier.status_changed", "dossier.received", "dossier.status_changed", "dossier.status_changed",
                    "dossier.supplement_requested", "dossier.status_changed", "dossier.status_changed",
                    "payment.settled", "dossier.status_changed", "dossier.result_returned",
                ])
            let receivedEvent = try #require(try await harness.events().first { $0.topic == "dossier.received" })
            #expect(receivedEvent.payload.contains("\"charge\": 0") || receivedEvent.payload.contains("\"fee\": 50000"))
            #expect(try await AuditTrail.verify(harness.context.pool, schema: "intake").isIntact)
        }
    }

    @Test func everyIllegalStepIsA409NamingTheCurrentStatus() async throws {
        try await withIntake { harness async throws in
            let dossier = try await harness.request("POST", "/api/dossiers", json: receiptBody(), as: receptionist)
                .decoded(DossierJSON.self)
            let path = "/api/dossiers/\(dossier.code)"
            for action in ["accept", "supplement", "complete", "return"] {
                let response = try await harness.request(
                    "POST", "\(path)/\(action)", json: [String: String](), as: .staff(.receptionist, .handler, .leader))
                #expect(response.status == 409, "\(action)")
                #expect(response.problem?.detail.contains("đã tiếp nhận") == true, "\(action)")
            }
            let unknown = await harness.request("POST", "\(path)/teleport", as: receptionist)
            #expect(unknown.status == 404)
        }
    }

    @Test func eachStepChecksItsRole() async throws {
        try await withIntake { harness async throws in
            #expect(
                try await harness.request("POST", "/api/dossiers", json: receiptBody(), as: handler).status == 403)
            let dossier = try await harness.request("POST", "/api/dossiers", json: receiptBody(), as: receptionist)
                .decoded(DossierJSON.self)
            let path = "/api/dossiers/\(dossier.code)"
            #expect(await harness.request("POST", "\(path)/start", as: receptionist).status == 200)
            let complete = try await harness.request(
                "POST", "\(path)/complete", json: ["paperResult": true], as: receptionist)
            #expect(complete.status == 403)
            #expect(complete.problem?.code == "role_required")
            #expect(await harness.request("GET", path).status == 401)
        }
    }

    @Test func refusalAndSupplementRequestsNeedAReason() async throws {
        try await withIntake { harness async throws in
            let dossier = try await harness.request("POST", "/api/dossiers", json: receiptBody(), as: receptionist)
                .decoded(DossierJSON.self)
            let refuse = try await harness.request(
                "POST", "/api/dossiers/\(dossier.code)/refuse", json: ["reasonCode": "ineligible", "reason": " "],
                as: receptionist)
            #expect(refuse.status == 422)
            #expect(refuse.problem?.code == "reason_text_required")
            let badCode = try await harness.request(
                "POST", "/api/dossiers/\(dossier.code)/refuse", json: ["reasonCode": "no_such", "reason": "x"],
                as: receptionist)
            #expect(badCode.problem?.code == "invalid_reason_code")
            let refused = try await harness.request(
                "POST", "/api/dossiers/\(dossier.code)/refuse",
                json: ["reasonCode": "not_under_competence", "reason": "Thuộc thẩm quyền cấp tỉnh"], as: receptionist)
            let view = try refused.decoded(DossierJSON.self)
            #expect(view.status == "refused" && view.timeline.last?.reason == "Thuộc thẩm quyền cấp tỉnh")
        }
    }
}
