import Foundation
import HTTP
import Intake
import ServiceKit
import ServiceTestSupport
import Testing

/// `/ho-so/{code}` and its action forms, and `/ho-so`, my queue.
@Suite struct PagesDossierTests {
    private func receive(_ harness: ServiceHarness<IntakeService>, procedure: String = "1.001193") async throws
        -> String
    {
        let components = procedure == "1.001193" ? nil : [["code": "DHD"], ["code": "GTTT"]]
        return try await harness.request(
            "POST", "/api/dossiers", json: receiptBody(procedure: procedure, components: components), as: receptionist
        ).decoded(DossierJSON.self).code
    }

    @Test func theDossierPageShowsOnlyTheActionsItsStatusAndTheRolesAllow() async throws {
        try await withIntake { harness async throws in
            let code = try await receive(harness)
            let page = await PageSession(harness, as: receptionist).get("/ho-so/\(code)")
            #expect(page.status == 200)
            for action in ["start", "request-supplement", "refuse", "withdraw"] {
                #expect(page.html.contains("action=\"/ho-so/\(code)/\(action)\""), "\(action)")
            }
            #expect(!page.html.contains("action=\"/ho-so/\(code)/complete\""))  // a receptionist cannot complete
            #expect(page.html.contains("Nguyễn Văn An") && page.html.contains("Tiếp nhận hồ sơ"))
            let leaderPage = await PageSession(harness, as: leader).get("/ho-so/\(code)")
            #expect(leaderPage.html.contains("action=\"/ho-so/\(code)/refuse\""))
            #expect(!leaderPage.html.contains("action=\"/ho-so/\(code)/withdraw\""))
        }
    }

    @Test func aRefusalWithoutItsReasonIsShownAgainWithTheMessageBesideTheReason() async throws {
        try await withIntake { harness async throws in
            let code = try await receive(harness)
            let session = PageSession(harness, as: receptionist)
            let page = await session.get("/ho-so/\(code)")
            let refused = await session.post(
                "/ho-so/\(code)/refuse", [("refuse.reasonCode", "ineligible"), ("refuse.reason", "")], from: page)
            #expect(refused.status == 422)
            #expect(refused.html.contains("id=\"f-refuse-reason-error\""))
            #expect(refused.html.contains("Cần ghi rõ lý do cụ thể"))
            #expect(refused.html.contains("<option value=\"ineligible\" selected>"))
            let status = try await harness.request("GET", "/api/dossiers/\(code)", as: receptionist)
                .decoded(DossierJSON.self).status
            #expect(status == "received")
        }
    }

    @Test func anActionRedirectsBackAndTheTimelineShowsItsReason() async throws {
        try await withIntake { harness async throws in
            let code = try await receive(harness)
            let session = PageSession(harness, as: receptionist)
            let page = await session.get("/ho-so/\(code)")
            let asked = await session.post(
                "/ho-so/\(code)/request-supplement",
                [
                    ("request-supplement.reasonCode", "illegible_document"),
                    ("request-supplement.reason", "Giấy chứng sinh bị nhòe <b>"),
                ], from: page)
            #expect(asked.status == 303)
            #expect(asked.location == "/ho-so/\(code)#trang-thai")
            let after = await session.get("/ho-so/\(code)")
            #expect(after.html.contains("Chờ bổ sung"))
            #expect(after.html.contains("Lý do: Giấy chứng sinh bị nhòe &lt;b&gt;"))
            #expect(after.html.contains("/ho-so/\(code)/in/phieu-yeu-cau-bo-sung"))
            // Asked once only: the form is gone, and a second post is a conflict shown on the page.
            #expect(!after.html.contains("action=\"/ho-so/\(code)/request-supplement\""))
            let again = await session.post(
                "/ho-so/\(code)/request-supplement",
                [("request-supplement.reasonCode", "other"), ("request-supplement.reason", "Lần hai")], from: after)
            #expect(again.status == 409)
            #expect(again.html.contains("problem-summary"))
        }
    }

    @Test func theQueueShowsWaitingSubmissionsFirstWithDeadlineColoursFiltersAndANextPage() async throws {
        try await withIntake { harness async throws in
            harness.setVietnamTime("2026-03-02", 9)  // Monday
            let overdue = try await receive(harness)  // same-day: due Monday
            let onTrack = try await receive(harness, procedure: "2.000815")
            harness.setVietnamTime("2026-03-03", 9)
            let online = try await harness.request("POST", "/api/public/dossiers", json: receiptBody())
                .decoded(PublicView.self).code
            harness.setVietnamTime("2026-03-04", 10)  // the submission is now past its 8 working hours
            let session = PageSession(harness, as: receptionist)
            let page = await session.get("/ho-so")
            #expect(page.status == 200)
            let html = page.html
            let positions = [online, overdue, onTrack].map { html.range(of: $0)?.lowerBound }
            #expect(positions.allSatisfy { $0 != nil })
            #expect(positions[0]! < positions[1]! && positions[1]! < positions[2]!)
            #expect(html.contains("queue-item queue-item--waiting queue-item--late"))
            #expect(html.contains("Chờ tiếp nhận – quá hạn tiếp nhận"))
            #expect(html.contains("queue-item--overdue") && html.contains("queue-item--due-soon"))
            let filtered = await session.get("/ho-so?status=received&deadline=overdue")
            #expect(
                filtered.html.contains(overdue) && !filtered.html.contains(onTrack) && !filtered.html.contains(online))
            #expect(filtered.html.contains("<option value=\"overdue\" selected>"))
            let first = await session.get("/ho-so?limit=1")
            let next = try #require(first.html.range(of: "href=\"/ho-so?limit=1&amp;cursor=")).upperBound
            let cursor = String(first.html[next...].prefix { $0 != "\"" })
            let second = await session.get("/ho-so?limit=1&cursor=\(cursor)")
            #expect(second.html.contains(overdue) && !second.html.contains(online))
            #expect(await session.get("/ho-so?deadline=late").status == 400)
        }
    }
}
