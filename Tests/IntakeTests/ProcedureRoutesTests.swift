import Domain
import Foundation
import HTTP
import Intake
import Postgres
import ServiceKit
import ServiceTestSupport
import Testing

/// The catalogue's API: public listing and reading, a province admin's creation and replacement.
@Suite struct ProcedureRoutesTests {
    /// A valid new procedure.
    private let draft = ProcedureDraft(
        code: "L.TEST.01", name: "Xác nhận thông tin cư trú", field: "Hộ tịch", level: "partial", processingDays: 2,
        fee: 0, charge: 15_000, legalBasis: "Thử nghiệm",
        components: [Procedure.Component(code: "TK", name: "Tờ khai", required: true)])

    @Test func listsArePagedInOrderOfNameWithAnOpaqueCursor() async throws {
        try await withIntake { harness in
            let whole = try await harness.procedures()
            let paged = try await harness.procedures(limit: 7)
            #expect(whole.pages == 1)
            #expect(paged.pages == (whole.items.count + 6) / 7)
            #expect(paged.items == whole.items)
            let keys = whole.items.map { [$0.name, $0.code] }
            #expect(keys == keys.sorted { $0.lexicographicallyPrecedes($1) })
            let bad = await harness.request("GET", "/api/procedures?cursor=nonsense")
            #expect(bad.status == 400 && bad.problem?.code == "invalid_cursor")
        }
    }

    @Test func searchMatchesNameOrCodeIgnoringCaseAndDiacritics() async throws {
        try await withIntake { harness in
            for q in ["khai sinh", "dang ky khai sinh", "ĐĂNG KÝ KHAI SINH", "Dang Ky Khai Sinh"] {
                let names = try await harness.procedures(query: queryItem("q", q)).items.map(\.name)
                #expect(names.contains("Đăng ký khai sinh"), "q=\(q)")
                #expect(names.allSatisfy { $0.lowercased().contains("khai sinh") }, "q=\(q)")
            }
            let byCode = try await harness.procedures(query: queryItem("q", "1.000894")).items
            #expect(byCode.map(\.code) == ["1.000894"])
            let decomposed = "Đăng ký khai sinh".decomposedStringWithCanonicalMapping
            #expect(decomposed.utf8.count > "Đăng ký khai sinh".utf8.count)
            #expect(try await !harness.procedures(query: queryItem("q", decomposed)).items.isEmpty)
            #expect(try await harness.procedures(query: queryItem("q", "không có thủ tục này")).items.isEmpty)
            #expect(try await harness.procedures(query: queryItem("q", "%")).items.isEmpty)
        }
    }

    @Test func theFieldFilterIsExactAndCombinesWithSearch() async throws {
        try await withIntake { harness in
            let all = try await harness.procedures().items
            let chungThuc = try await harness.procedures(query: queryItem("field", "Chứng thực")).items
            #expect(!chungThuc.isEmpty)
            #expect(chungThuc == all.filter { $0.field == "Chứng thực" })
            #expect(try await harness.procedures(query: queryItem("field", "chứng thực")).items.isEmpty)
            let both = try await harness.procedures(
                query: queryItem("field", "Chứng thực") + "&" + queryItem("q", "di san")
            ).items
            #expect(both.count == 3)
            #expect(both.allSatisfy { $0.field == "Chứng thực" && $0.name.contains("di sản") })
        }
    }

    @Test func oneProcedureIsReadByItsCodeWithoutATokenAndAnUnknownOneIs404() async throws {
        try await withIntake { harness in
            let marriage = try await harness.procedure("1.000894")
            #expect(marriage.name == "Đăng ký kết hôn" && marriage.level == .full && marriage.demo)
            let response = await harness.request("GET", "/api/procedures/1.000894")
            let json = String(decoding: response.body, as: UTF8.self)
            #expect(json.contains(#""sameDayCutoff":"15:00""#) && json.contains(#""processingDays":0"#))
            let twoDays = String(decoding: await harness.request("GET", "/api/procedures/2.000815").body, as: UTF8.self)
            #expect(!twoDays.contains("sameDayCutoff"))
            let missing = await harness.request("GET", "/api/procedures/9.999999")
            #expect(missing.status == 404 && missing.problem?.code == "procedure_not_found")
        }
    }

    @Test func aProvinceAdminCreatesAProcedureThatIsNotDemoDataAndTheCreationIsAudited() async throws {
        try await withIntake { harness in
            let response = try await harness.request("POST", "/api/procedures", json: draft, as: provinceAdmin)
            #expect(response.status == 201)
            #expect(response.headers["Location"] == "/api/procedures/L.TEST.01")
            let created = try response.decoded(Procedure.self)
            #expect(created.demo == false && created.active && created.electronicResult && !created.reuseEligible)
            #expect(try await harness.procedure("L.TEST.01") == created)
            let audit = try await harness.context.transaction(.allUnits) { tx in
                try await tx.query(
                    "SELECT unit_code, actor, details->>'name' FROM audit_trail WHERE action = 'procedure.created' AND subject = $1",
                    ["procedure:L.TEST.01"]
                ).map { try $0.decode(String.self, String.self, String.self) }
            }
            #expect(audit.count == 1)
            #expect(audit.first.map { [$0.0, $0.1, $0.2] } == ["province:H01", "qt-tinh-01", "Xác nhận thông tin cư trú"])
            let again = try await harness.request("POST", "/api/procedures", json: draft, as: provinceAdmin)
            #expect(again.status == 409 && again.problem?.code == "procedure_exists")
        }
    }

    @Test func aProvinceAdminReplacesASeededProcedureClearingItsDemoMarkAndTheChangeIsAudited() async throws {
        try await withIntake { harness in
            var edit = ProcedureDraft(try await harness.procedure("2.000635"))
            edit.fee = 10_000
            let response = try await harness.request("PUT", "/api/procedures/2.000635", json: edit, as: provinceAdmin)
            #expect(response.status == 200)
            let stored = try await harness.procedure("2.000635")
            #expect(stored == (try response.decoded(Procedure.self)))
            #expect(stored.fee == Money(dong: 10_000) && stored.demo == false)
            #expect(stored.components.map(\.code) == ["TK", "UQ"])
            let audit = try await harness.context.transaction(.allUnits) { tx in
                try await tx.query(
                    """
                    SELECT unit_code, details->'before'->>'fee', details->'after'->>'fee', details->'before'->>'demo'
                    FROM audit_trail WHERE action = 'procedure.updated' AND subject = 'procedure:2.000635'
                    """
                ).single().decode(String.self, String.self, String.self, String.self)
            }
            #expect([audit.0, audit.1, audit.2, audit.3] == ["province:H01", "8000", "10000", "true"])
            edit.code = nil
            let unknown = try await harness.request("PUT", "/api/procedures/9.999999", json: edit, as: provinceAdmin)
            #expect(unknown.status == 404)
        }
    }

    @Test func threeBadFieldsAreListedInOne422AndNothingIsWritten() async throws {
        try await withIntake { harness in
            var bad = draft
            bad.name = "  "
            bad.level = "fast"
            bad.components = []
            let response = try await harness.request("POST", "/api/procedures", json: bad, as: provinceAdmin)
            #expect(response.status == 422)
            #expect(response.problem?.errors?.map(\.field) == ["name", "level", "components"])
            #expect(await harness.request("GET", "/api/procedures/L.TEST.01").status == 404)

            var sameDay = ProcedureDraft(try await harness.procedure("2.000815"))
            sameDay.code = "2.000816"
            sameDay.sameDayCutoff = "3pm"
            sameDay.processingDays = 0
            sameDay.components = [Procedure.Component(code: "a b", name: "", required: true)]
            let put = try await harness.request("PUT", "/api/procedures/2.000815", json: sameDay, as: provinceAdmin)
            #expect(
                put.problem?.errors?.map(\.field) == [
                    "code", "sameDayCutoff", "components[0].code", "components[0].name",
                ])
            #expect(try await harness.procedure("2.000815").demo)
        }
    }

    /// The catalogue is every unit's: a ward's admin switches a procedure off for its ward
    /// (`PUT …/offered`), but edits nothing the other units use.
    @Test func onlyAProvinceAdminEditsTheSharedCatalogueAndAnAnonymousEditIsAnswered401() async throws {
        try await withIntake { harness in
            let byUnitAdmin = try await harness.request("POST", "/api/procedures", json: draft, as: admin)
            #expect(byUnitAdmin.status == 403 && byUnitAdmin.problem?.code == "role_required")
            var edit = ProcedureDraft(try await harness.procedure("2.000635"))
            edit.fee = 1
            #expect(try await harness.request("PUT", "/api/procedures/2.000635", json: edit, as: admin).status == 403)
            #expect(try await harness.procedure("2.000635").fee == Money(dong: 8_000))
            let byReceptionist = try await harness.request("POST", "/api/procedures", json: draft, as: receptionist)
            #expect(byReceptionist.status == 403 && byReceptionist.problem?.code == "role_required")
            let byLeader = try await harness.request("PUT", "/api/procedures/1.000894", json: draft, as: leader)
            #expect(byLeader.status == 403)
            let anonymous = try await harness.request("POST", "/api/procedures", json: draft)
            #expect(anonymous.status == 401 && anonymous.problem?.code == "sign_in_required")
            #expect(await harness.request("GET", "/api/procedures/L.TEST.01").status == 404)
            let audited = try await harness.context.transaction(.allUnits) { tx in
                try await tx.query("SELECT count(*) FROM audit_trail WHERE action LIKE 'procedure.%'").single().decode(
                    Int.self, at: 0)
            }
            #expect(audited == 0)
        }
    }
}
