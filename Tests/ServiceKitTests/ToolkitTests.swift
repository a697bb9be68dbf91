import Events
import AsyncTestSupport
import Foundation
import HTTP
import Postgres
import Queue
import ServiceKit
import ServiceTestSupport
import Testing

/// The toolkit as a slice uses it, through `NotesService` in process (no socket).
@Suite struct ToolkitTests {
    private func withNotes(_ body: (ServiceHarness<NotesService>) async throws -> Void) async throws {
        let harness = try await ServiceHarness.start(NotesService())
        do {
            try await body(harness)
        } catch {
            await harness.close()
            throw error
        }
        await harness.close()
    }

    private func problem(_ response: Response) throws -> ProblemDocument {
        #expect(response.headers["Content-Type"] == "application/problem+json")
        return try JSONDecoder().decode(ProblemDocument.self, from: Data(response.body))
    }

    private func note(_ response: Response) throws -> NotesService.Note {
        try JSONDecoder().decode(NotesService.Note.self, from: Data(response.body))
    }

    private let valid = NotesService.NewNote(title: "Hỏi thủ tục khai sinh", phone: "0912345678")

    @Test func aRequestWithoutATokenIsAnswered401() async throws {
        try await withNotes { harness async throws in
            let response = try await harness.request("POST", "/api/notes", json: valid)
            #expect(response.status == 401)
            #expect(try problem(response).code == "sign_in_required")
        }
    }

    @Test func expiredAlteredAndForeignTokensAreAnswered401WithTheirCodes() async throws {
        try await withNotes { harness async throws in
            let token = harness.token(for: .staff(.receptionist))
            var altered = Array(token)
            altered[20] = altered[20] == "A" ? "B" : "A"
            let foreign = TokenSigner(key: SigningKey.generate()).token(
                for: StaffPrincipal(id: "x", name: "X", roles: [.receptionist], scope: .unit(harness.ward)),
                now: harness.clock.now)
            for (token, code) in [
                (String(altered), "token_signature_invalid"), (foreign, "token_wrong_key"),
                ("v4.public.xx", "token_malformed"),
            ] {
                let response = await harness.request("GET", "/api/notes", headers: ["Authorization": "Bearer \(token)"])
                #expect(response.status == 401)
                #expect(try problem(response).code == code)
            }
            harness.clock.advance(by: 16 * 60)
            let expired = await harness.request("GET", "/api/notes", headers: ["Authorization": "Bearer \(token)"])
            #expect(try problem(expired).code == "token_expired")
        }
    }

    /// Services other than intake keep no session table: a token revoked at intake (signed out,
    /// account disabled) stops working here when its short lifetime (5 minutes, plus the leeway) ends.
    @Test func anotherServiceRefusesAnyTokenFiveMinutesAndItsLeewayAfterIssue() async throws {
        try await withNotes { harness async throws in
            let headers: HTTPHeaders = ["Authorization": "Bearer \(harness.token(for: .staff(.receptionist)))"]
            #expect(harness.signer.lifetime <= .seconds(5 * 60))
            harness.clock.advance(by: 5 * 60)
            #expect(await harness.request("GET", "/api/notes", headers: headers).status == 200)
            harness.clock.advance(by: 31)
            let late = await harness.request("GET", "/api/notes", headers: headers)
            #expect(late.status == 401)
            #expect(try problem(late).code == "token_expired")
        }
    }

    @Test func aJSONEndpointRefusesAFormBodyAndAnUntypedBody() async throws {
        try await withNotes { harness async throws in
            let token = harness.token(for: .staff(.receptionist))
            let form = await harness.request(
                "POST", "/api/notes", body: Array("title=A&phone=0912345678".utf8),
                headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/x-www-form-urlencoded"])
            #expect(form.status == 415)
            let untyped = await harness.request(
                "POST", "/api/notes", body: Array(#"{"title":"A","phone":"0912345678"}"#.utf8),
                headers: ["Authorization": "Bearer \(token)"])
            #expect(untyped.status == 415)
            #expect(try problem(untyped).code == "unsupported_media_type")
        }
    }

    @Test func aMissingRoleIsAnswered403NamingTheRole() async throws {
        try await withNotes { harness async throws in
            let response = try await harness.request("POST", "/api/notes", json: valid, as: .staff(.statistician))
            #expect(response.status == 403)
            let body = try problem(response)
            #expect(body.code == "role_required")
            #expect(body.detail.contains("cán bộ tiếp nhận"))
        }
    }

    @Test func threeBadFieldsAreListedInOne422() async throws {
        try await withNotes { harness async throws in
            let response = try await harness.request(
                "POST", "/api/notes", json: NotesService.NewNote(title: " ", phone: "12", priority: 9),
                as: .staff(.receptionist))
            #expect(response.status == 422)
            let body = try problem(response)
            #expect(body.errors?.map(\.field) == ["title", "phone", "priority"])
            let count = try await harness.context.transaction(.allUnits) { tx async throws in
                try await tx.query("SELECT count(*) FROM notes").single().decode(Int.self, at: 0)
            }
            #expect(count == 0)
        }
    }

    @Test func aDomainErrorBecomesItsProblem() async throws {
        try await withNotes { harness async throws in
            let created = try note(
                try await harness.request("POST", "/api/notes", json: valid, as: .staff(.receptionist)))
            let leader = TestPrincipal.staff(.leader, id: "leader-1")
            #expect(await harness.request("POST", "/api/notes/\(created.id)/close", as: leader).status == 204)
            let again = await harness.request("POST", "/api/notes/\(created.id)/close", as: leader)
            #expect(again.status == 409)
            #expect(try problem(again).code == "note_closed")
            let missing = await harness.request("POST", "/api/notes/999/close", as: leader)
            #expect(missing.status == 404)
            let badParameter = await harness.request("POST", "/api/notes/abc/close", as: leader)
            #expect(badParameter.status == 400)
            #expect(try problem(badParameter).detail.contains("id"))
        }
    }

    @Test func staffOfOneUnitNeitherSeeNorTouchAnothersRowsWhileAProvinceStatisticianListsItsProvincesOnly()
        async throws
    {
        try await withNotes { harness async throws in
            let inH01 = try note(
                try await harness.request("POST", "/api/notes", json: valid, as: .staff(.receptionist)))
            let inH02 = try note(
                try await harness.request(
                    "POST", "/api/notes", json: valid, as: .staff(.receptionist, .leader, unit: "H01.40.24")))
            let inH79 = try note(
                try await harness.request("POST", "/api/notes", json: valid, as: .staff(.receptionist, unit: "H79.01.01")))
            #expect(inH01.unitCode == "H01.40.23" && inH02.unitCode == "H01.40.24")
            let listed = await harness.request("GET", "/api/notes", as: .staff(.receptionist, unit: "H01.40.24"))
            let page = try JSONDecoder().decode(PageOfNotes.self, from: Data(listed.body))
            #expect(page.items.map(\.id) == [inH02.id])
            let close = await harness.request(
                "POST", "/api/notes/\(inH01.id)/close", as: .staff(.leader, unit: "H01.40.24", id: "leader-2"))
            #expect(close.status == 404)
            let province = await harness.request("GET", "/api/notes", as: .province(.provinceStatistician))
            let all = try JSONDecoder().decode(PageOfNotes.self, from: Data(province.body))
            #expect(all.items.map(\.id) == [inH01.id, inH02.id], "province H01's units, not H79's")
            let other = await harness.request(
                "GET", "/api/notes", as: .province(.provinceStatistician, code: "H79", id: "province-79"))
            #expect(try JSONDecoder().decode(PageOfNotes.self, from: Data(other.body)).items.map(\.id) == [inH79.id])
            let write = try await harness.request("POST", "/api/notes", json: valid, as: .province(.receptionist))
            #expect(write.status == 500, "a province-wide principal writes into no unit by accident")
        }
    }

    @Test func listsArePagedByKeysetWithAnOpaqueCursor() async throws {
        try await withNotes { harness async throws in
            for _ in 0..<5 {
                _ = try await harness.request("POST", "/api/notes", json: valid, as: .staff(.receptionist))
            }
            var cursor: String?
            var seen: [Int64] = []
            repeat {
                let query = cursor.map { "?cursor=\($0)" } ?? ""
                let page = try JSONDecoder().decode(
                    PageOfNotes.self,
                    from: Data(await harness.request("GET", "/api/notes\(query)", as: .staff(.handler)).body))
                #expect(page.items.count <= 2)
                seen += page.items.map(\.id)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(seen == Array(1...5))
            let bad = await harness.request("GET", "/api/notes?cursor=nonsense", as: .staff(.handler))
            #expect(try problem(bad).code == "invalid_cursor")
            let tooMany = await harness.request("GET", "/api/notes?limit=1000", as: .staff(.handler))
            #expect(try problem(tooMany).code == "invalid_parameter")
        }
    }

    @Test func twentyConcurrentRepeatsOfAnIdempotentCreationMakeOneNoteAndOneAnswer() async throws {
        try await withNotes { harness async throws in
            let token = harness.token(for: .staff(.receptionist))
            let body = Array(try JSONEncoder().encode(valid))
            let headers: HTTPHeaders = [
                "Authorization": "Bearer \(token)", "Idempotency-Key": "a1b2c3", "Content-Type": "application/json",
            ]
            let responses = await withTaskGroup(of: Response.self) { group in
                for _ in 0..<20 {
                    group.addTask { await harness.request("POST", "/api/notes", body: body, headers: headers) }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(responses.allSatisfy { $0.status == 201 })
            #expect(Set(responses.map(\.body)).count == 1)
            #expect(responses.filter { $0.headers["Idempotent-Replayed"] == "true" }.count == 19)
            let counts = try await harness.context.transaction(.allUnits) { tx async throws in
                try await tx.query(
                    "SELECT (SELECT count(*) FROM notes), (SELECT count(*) FROM audit_trail WHERE action = 'note.created')"
                ).single().decode(Int.self, Int.self)
            }
            #expect(counts == (1, 1))
            let changed = await harness.request(
                "POST", "/api/notes",
                body: Array(try JSONEncoder().encode(NotesService.NewNote(title: "Khác", phone: "0912345678"))),
                headers: headers)
            #expect(changed.status == 422)
            #expect(try problem(changed).code == "idempotency_key_reused")
        }
    }

    @Test func aKeyRepeatedAfterItExpiredIsAFreshRequest() async throws {
        try await withNotes { harness async throws in
            let body = Array(try JSONEncoder().encode(valid))
            func send() async -> Response {
                await harness.request(
                    "POST", "/api/notes", body: body,
                    headers: [
                        "Authorization": "Bearer \(harness.token(for: .staff(.receptionist)))",
                        "Idempotency-Key": "k-1",
                        "Content-Type": "application/json",
                    ])
            }
            let first = try note(await send())
            #expect(try note(await send()) == first)
            harness.clock.advance(by: 24 * 3600 + 1)
            #expect(try note(await send()).id == first.id + 1)
        }
    }

    @Test func aStaffActionIsAuditedWithTheTokensStaffIdAndTheRequestId() async throws {
        try await withNotes { harness async throws in
            let response = try await harness.request(
                "POST", "/api/notes", json: valid, headers: ["X-Request-Id": "req-audit-1"],
                as: .staff(.receptionist, id: "nv-07"))
            let created = try note(response)
            let row = try await harness.context.transaction(.unit(harness.ward)) { tx async throws in
                try await tx.query(
                    "SELECT actor, action, subject, request_id, unit_code FROM audit_trail WHERE subject = $1",
                    ["note:\(created.id)"]
                ).single().decode(String.self, String.self, String.self, String?.self, String.self)
            }
            #expect(row.0 == "nv-07" && row.1 == "note.created" && row.4 == harness.ward)
            let verification = try await AuditTrail.verify(harness.context.pool, schema: "communication")
            #expect(verification.isIntact)
        }
    }

    @Test func aCookieSignedInFormPostWithoutItsCSRFTokenIsRefused() async throws {
        try await withNotes { harness async throws in
            let session = harness.token(for: .staff(.receptionist))
            let cookie: HTTPHeaders = ["Cookie": "\(RequireStaff.sessionCookie)=\(session)"]
            let page = await harness.request("GET", "/notes/new", headers: cookie)
            #expect(page.status == 200)
            let html = String(decoding: page.body, as: UTF8.self)
            let csrf = try #require(html.firstMatch(of: /name="_csrf" value="([^"]+)"/)?.1)
            var form = cookie
            form["Content-Type"] = "application/x-www-form-urlencoded"
            let forged = await harness.request(
                "POST", "/notes/new", body: Array("title=A&phone=0912345678".utf8), headers: form)
            #expect(forged.status == 403)
            #expect(try problem(forged).code == "csrf_failed")
            let crossSite = await harness.request(
                "POST", "/notes/new", body: Array("title=A&phone=0912345678&_csrf=\(csrf)".utf8),
                headers: form.merging(["Sec-Fetch-Site": "cross-site"]))
            #expect(crossSite.status == 403)
            let otherOrigin = await harness.request(
                "POST", "/notes/new", body: Array("title=A&phone=0912345678&_csrf=\(csrf)".utf8),
                headers: form.merging(["Origin": "https://evil.example", "Host": "motcua.example"]))
            #expect(otherOrigin.status == 403)
            let genuine = await harness.request(
                "POST", "/notes/new", body: Array("title=A&phone=0912345678&_csrf=\(csrf)".utf8), headers: form)
            #expect(genuine.status == 303)
        }
    }

    @Test func aPageEscapesANameAndShowsTheServersMessageBesideItsField() async throws {
        try await withNotes { harness async throws in
            let session = harness.token(for: .staff(.receptionist))
            let page = await harness.request(
                "GET", "/notes/new", headers: ["Cookie": "\(RequireStaff.sessionCookie)=\(session)"])
            let csrf = try #require(
                String(decoding: page.body, as: UTF8.self).firstMatch(of: /name="_csrf" value="([^"]+)"/)?.1)
            let answer = await harness.request(
                "POST", "/notes/new",
                body: Array("title=%3Cscript%3Ealert(1)%3C%2Fscript%3E&phone=12&_csrf=\(csrf)".utf8),
                headers: [
                    "Cookie": "\(RequireStaff.sessionCookie)=\(session)",
                    "Content-Type": "application/x-www-form-urlencoded",
                ])
            #expect(answer.status == 422)
            #expect(answer.headers["Content-Security-Policy"]?.contains("default-src 'none'") == true)
            let html = String(decoding: answer.body, as: UTF8.self)
            #expect(!html.contains("<script>alert(1)</script>"))
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(html.contains("Số điện thoại phải gồm 10 chữ số"))
        }
    }

    @Test func aTypedEventIsConsumedInItsUnitsScope() async throws {
        try await withNotes { harness async throws in
            // unit.registered is intake's to publish (the notes service, communication, only reads it).
            let intake = harness.database.pool(as: "intake", maxConnections: 1)
            try await intake.transaction { tx in
                let unit = UnitRegistered(
                    code: "H05", name: "Phường Sài Gòn", provinceCode: "79", registeredAt: harness.clock.now)
                try await tx.publish(
                    UnitRegistered.topic, key: "H05",
                    Envelope(eventId: UUID(), occurredAt: harness.clock.now, wardCode: "H05", data: unit))
            }
            await intake.close()
            try await harness.runConsumersUntilIdle()
            let seen = try await harness.context.transaction(.allUnits) { tx async throws in
                try await tx.query("SELECT unit_code, code, name FROM units_seen").map {
                    try $0.decode(String.self, String.self, String.self)
                }
            }
            #expect(seen.count == 1)
            #expect(seen.first?.0 == "H05" && seen.first?.2 == "Phường Sài Gòn")
        }
    }
}

extension ToolkitTests {
    @Test func anEventOfAnUnknownVersionGoesDeadAtOnceWithTheReasonAndTheNextOneFlows() async throws {
        try await withNotes { harness async throws in
            let intake = harness.database.pool(as: "intake", maxConnections: 1)
            let envelope = { (version: Int, code: String) in
                """
                {"eventId":"\(UUID().uuidString)","occurredAt":"2026-03-05T01:00:00Z","wardCode":"H01.40.23","version":\(version),
                 "data":{"code":"\(code)","name":"Phường \(code)","provinceCode":"01","registeredAt":"2026-03-05T01:00:00Z"}}
                """
            }
            try await intake.query(
                "SELECT mq.publish('unit.registered', ARRAY['H01.40.23', 'H01.40.23'], ARRAY[$1::jsonb, $2::jsonb])",
                [envelope(2, "H07"), envelope(1, "H08")])
            await intake.close()
            try await harness.runConsumersUntilIdle()
            let seen = try await harness.context.transaction(.allUnits) { tx async throws in
                try await tx.query("SELECT code FROM units_seen").map { try $0.decode(String.self, at: 0) }
            }
            #expect(seen == ["H08"])
            let dead = try await harness.context.pool.query(
                "SELECT attempts, last_error FROM mq.dead('communication', 10)"
            ).single().decode(Int.self, String.self)
            #expect(dead.0 == 1)
            #expect(dead.1.contains("unit.registered version 2 is not supported (this build reads version 1)"))
        }
    }
}

/// A page of notes as a client reads it.
struct PageOfNotes: Decodable {
    let items: [NotesService.Note]
    let nextCursor: String?
}

extension HTTPHeaders {
    fileprivate func merging(_ other: HTTPHeaders) -> HTTPHeaders {
        var merged = self
        for field in other { merged[field.name] = field.value }
        return merged
    }
}
