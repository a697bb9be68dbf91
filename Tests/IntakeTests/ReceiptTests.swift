import Domain
import Foundation
import HTTP
import Intake
import Postgres
import ServiceKit
import ServiceTestSupport
import Testing

/// Receipt: codes, dates, validation, idempotency, units.
@Suite struct ReceiptTests {
    private func count(_ harness: ServiceHarness<IntakeService>) async throws -> Int {
        try await harness.context.transaction(.allUnits) { tx async throws in
            try await tx.query("SELECT count(*) FROM dossiers").single().decode(Int.self, at: 0)
        }
    }

    @Test func fiftyConcurrentReceiptsGetFiftyDistinctConsecutiveCodes() async throws {
        try await withIntake { harness async throws in
            let codes = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        try await harness.request("POST", "/api/dossiers", json: receiptBody(), as: receptionist)
                            .decoded(DossierJSON.self).code
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(codes).count == 50)
            #expect(codes.map { Int($0.suffix(4))! }.sorted() == Array(1...50))
        }
    }

    @Test func theSameIdempotencyKeyTwiceMakesOneDossier() async throws {
        try await withIntake { harness async throws in
            // A retry sends the same bytes again.
            let body = Array(try JSONEncoder().encode(receiptBody()))
            let headers: HTTPHeaders = ["Idempotency-Key": "quay-1-0001", "Content-Type": "application/json"]
            let first = await harness.request("POST", "/api/dossiers", body: body, headers: headers, as: receptionist)
            let second = await harness.request("POST", "/api/dossiers", body: body, headers: headers, as: receptionist)
            #expect(first.status == 201 && second.status == 201)
            #expect(first.body == second.body)
            #expect(try await count(harness) == 1)
        }
    }

    @Test func badInputIsA4xxNamingTheFieldAndWritesNothing() async throws {
        try await withIntake { harness async throws in
            let malformed = await harness.request(
                "POST", "/api/dossiers", body: Array("{\"procedureCode\": ".utf8),
                headers: ["Content-Type": "application/json"], as: receptionist)
            #expect(malformed.status == 400)
            let unknown = try await harness.request(
                "POST", "/api/dossiers", json: receiptBody(procedure: "9.999999"), as: receptionist)
            #expect(unknown.status == 422)
            #expect(unknown.problem?.errors?.map(\.field) == ["procedureCode"])
            let bad = try await harness.request(
                "POST", "/api/dossiers", json: receiptBody(name: "", cccd: "999203004567", phone: "0123"),
                as: receptionist)
            #expect(bad.status == 422)
            #expect(bad.problem?.errors?.map(\.field) == ["applicant.fullName", "applicant.cccd", "applicant.phone"])
            #expect(bad.problem?.errors?.contains { $0.detail.contains("999203004567") } == false)
            let missing = try await harness.request(
                "POST", "/api/dossiers", json: receiptBody(components: [["code": "TK"]]), as: receptionist)
            #expect(missing.problem?.errors?.map(\.field) == ["components"])
            let huge = await harness.request(
                "POST", "/api/dossiers", body: Array(repeating: UInt8(ascii: " "), count: 2 << 20),
                headers: ["Content-Type": "application/json"], as: receptionist)
            #expect(huge.status == 413)
            #expect(try await count(harness) == 0)
        }
    }

    @Test func aReceiptAfterTheCutOffBeforeAHolidayIsDueAfterIt() async throws {
        try await withIntake { harness async throws in
            // Wednesday 29 April 2026 at 16:45: after 16:30, so counted from Thursday 30/4 — a holiday, as
            // is Friday 1/5; the first working day is Monday 4 May, and 2 working days later is Wednesday 6 May.
            harness.setVietnamTime("2026-04-29", 16, 45)
            let body = receiptBody(procedure: "2.000815", components: [["code": "DHD"], ["code": "GTTT"]])
            let dossier = try await harness.request("POST", "/api/dossiers", json: body, as: receptionist)
                .decoded(DossierJSON.self)
            #expect(dossier.code.hasSuffix("-260429-0001"))
            #expect(dossier.appointmentDate == "2026-05-06")
            // A same-day procedure received after 15:00 is due the next working day.
            harness.setVietnamTime("2026-03-05", 15, 10)
            let sameDay = try await harness.request("POST", "/api/dossiers", json: receiptBody(), as: receptionist)
                .decoded(DossierJSON.self)
            #expect(sameDay.appointmentDate == "2026-03-06")
        }
    }

    @Test func staffOfOneUnitCannotListReadActOnOrLookUpAnothersDossiersWhileAProvinceStatisticianListsItsProvinces()
        async throws
    {
        try await withIntake { harness async throws in
            try await harness.register(unit: "H01.11.01")
            try await harness.register(unit: "H79.01.01")
            let mine = try await harness.request("POST", "/api/dossiers", json: receiptBody(), as: receptionist)
                .decoded(DossierJSON.self)
            let other = TestPrincipal.staff(.receptionist, .handler, unit: "H01.11.01", id: "tn-h02")
            let theirs = try await harness.request("POST", "/api/dossiers", json: receiptBody(), as: other)
                .decoded(DossierJSON.self)
            #expect(theirs.code.hasPrefix("H01.11.01-"))
            let elsewhere = TestPrincipal.staff(.receptionist, unit: "H79.01.01", id: "tn-h79")
            #expect(try await harness.request("POST", "/api/dossiers", json: receiptBody(), as: elsewhere).status == 201)
            let listed = try await harness.request("GET", "/api/dossiers", as: other).decoded(CodesPage.self)
            #expect(listed.items.map(\.code) == [theirs.code])
            #expect(await harness.request("GET", "/api/dossiers/\(mine.code)", as: other).status == 404)
            #expect(await harness.request("POST", "/api/dossiers/\(mine.code)/start", as: other).status == 404)
            let all = try await harness.request("GET", "/api/dossiers", as: .province(.provinceStatistician))
                .decoded(CodesPage.self)
            #expect(Set(all.items.map(\.code)) == [mine.code, theirs.code], "province H01's units, not H79's")
            #expect(
                try await harness.request("POST", "/api/dossiers", json: receiptBody(), as: .province(.receptionist))
                    .status == 403)
        }
    }

    @Test func anOnlineSubmissionLeftPast8WorkingHoursShowsLateAndItsAcceptanceIsRecordedLate() async throws {
        try await withIntake { harness async throws in
            harness.setVietnamTime("2026-03-05", 14)  // Thursday 14:00: 3 office hours today, 5 more on Friday → 13:00+... due Friday 15:30
            let submitted = try await harness.request("POST", "/api/public/dossiers", json: receiptBody())
            #expect(submitted.status == 201)
            let code = try submitted.decoded(PublicView.self).code
            let queue = try await harness.request("GET", "/api/dossiers", as: receptionist).decoded(QueuePage.self)
            #expect(queue.items.first?.code == code && queue.items.first?.acceptanceLate == false)
            harness.setVietnamTime("2026-03-06", 16)
            let late = try await harness.request("GET", "/api/dossiers", as: receptionist).decoded(QueuePage.self)
            #expect(late.items.first?.acceptanceLate == true)
            let accepted = try await harness.request(
                "POST", "/api/dossiers/\(code)/accept", json: [String: String](), as: receptionist)
            let view = try accepted.decoded(DossierJSON.self)
            #expect(view.status == "received" && view.acceptedLate == true && view.appointmentDate == "2026-03-09")
        }
    }

    @Test func theStaffQueueFiltersByDeadlineAndPagesWithACursor() async throws {
        try await withIntake { harness async throws in
            harness.setVietnamTime("2026-03-02", 9)  // Monday
            for _ in 0..<3 {
                _ = try await harness.request(
                    "POST", "/api/dossiers",
                    json: receiptBody(procedure: "2.000815", components: [["code": "DHD"], ["code": "GTTT"]]),
                    as: receptionist)
            }
            _ = try await harness.request("POST", "/api/dossiers", json: receiptBody(), as: receptionist)  // due today
            harness.setVietnamTime("2026-03-03", 9)
            let dueSoon = try await harness.request("GET", "/api/dossiers?deadline=due_soon", as: handler)
                .decoded(QueuePage.self)
            #expect(dueSoon.items.count == 3)  // due Wednesday 4/3: the next working day
            let overdue = try await harness.request("GET", "/api/dossiers?deadline=overdue", as: handler)
                .decoded(QueuePage.self)
            #expect(overdue.items.map(\.deadlineState) == ["overdue"])
            var cursor: String?
            var seen: [String] = []
            repeat {
                let page = try await harness.request(
                    "GET", "/api/dossiers?limit=3" + (cursor.map { "&cursor=\($0)" } ?? ""), as: handler
                ).decoded(QueuePage.self)
                seen += page.items.map(\.code)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(seen.count == 4 && Set(seen).count == 4)
            #expect(await harness.request("GET", "/api/dossiers?deadline=late", as: handler).status == 400)
        }
    }
}

struct CodesPage: Decodable {
    struct Item: Decodable { let code: String }
    let items: [Item]
}

struct QueuePage: Decodable {
    struct Item: Decodable {
        let code: String
        let acceptanceLate: Bool
        let deadlineState: String?
    }
    let items: [Item]
    let nextCursor: String?
}

struct PublicView: Decodable {
    let code: String
    let status: String
    let statusName: String
    let appointmentDate: String?
    let missing: [String]
    let canRate: Bool
}
