import Foundation
import HTTP
import Intake
import Postgres
import ServiceKit
import ServiceTestSupport
import Testing

/// Units as tenants in intake: a province's roles read its own units only, unit codes are the
/// registering province's, a closed unit's staff and online filing are refused, and a unit
/// switches off for itself a procedure it does not serve.
@Suite struct UnitTenancyTests {
    /// Units H01.11.01 (province H01, beside the harness's ward H01.40.23) and H79.01.01, and one
    /// dossier received at the counter of each of the three; their codes by unit.
    private func dossiersInTwoProvinces(_ harness: ServiceHarness<IntakeService>) async throws -> [String: String] {
        try await harness.register(unit: "H01.11.01")
        try await harness.register(unit: "H79.01.01")
        var codes: [String: String] = [:]
        for unit in [harness.ward, "H01.11.01", "H79.01.01"] {
            codes[unit] = try await harness.request(
                "POST", "/api/dossiers", json: receiptBody(), as: .staff(.receptionist, unit: unit, id: "tn-\(unit)")
            ).decoded(DossierJSON.self).code
        }
        return codes
    }

    @Test func aProvinceAdminReadsItsProvincesDossiersAndNoneOfAnothers() async throws {
        try await withIntake { harness async throws in
            let codes = try await dossiersInTwoProvinces(harness)
            let h01 = TestPrincipal.province(.provinceAdmin, .provinceStatistician, code: "H01", id: "qt-h01")
            let h79 = TestPrincipal.province(.provinceAdmin, .provinceStatistician, code: "H79", id: "qt-h79")
            let listedByH01 = try await harness.request("GET", "/api/dossiers", as: h01).decoded(CodesPage.self)
            #expect(Set(listedByH01.items.map(\.code)) == [codes[harness.ward]!, codes["H01.11.01"]!])
            let listedByH79 = try await harness.request("GET", "/api/dossiers", as: h79).decoded(CodesPage.self)
            #expect(listedByH79.items.map(\.code) == [codes["H79.01.01"]!])
            #expect(await harness.request("GET", "/api/dossiers/\(codes["H79.01.01"]!)", as: h01).status == 404)
            #expect(await harness.request("GET", "/api/dossiers/\(codes[harness.ward]!)", as: h79).status == 404)
            #expect(await harness.request("GET", "/api/dossiers/\(codes[harness.ward]!)", as: h01).status == 200)
            let ownUnit = try await harness.request(
                "GET", "/api/dossiers", as: .staff(.receptionist, unit: "H01.11.01", id: "tn-2")
            ).decoded(CodesPage.self)
            #expect(ownUnit.items.map(\.code) == [codes["H01.11.01"]!], "a unit's staff still see their unit only")
            let units = try await harness.request("GET", "/api/units", as: h79).decoded(PageOf<AdministrativeUnit>.self)
            #expect(units.items.map(\.code) == ["H79.01.01"])
        }
    }

    @Test func theDatabaseShowsAProvincesScopeOnlyItsUnitsRowsWhateverTheQueryAsks() async throws {
        try await withIntake { harness async throws in
            let codes = try await dossiersInTwoProvinces(harness)
            let seen = try await harness.context.pool.transaction { tx in
                try await tx.query("SELECT set_config('motcua.province', 'H79', true)", [])
                return try await tx.query("SELECT code, applicant_cccd FROM dossiers ORDER BY code", []).map {
                    try $0.decode(String.self, at: 0)
                }
            }
            #expect(seen == [codes["H79.01.01"]!])
            let timeline = try await harness.context.transaction(.province("H79")) { tx in
                try await tx.query("SELECT DISTINCT unit_code FROM dossier_timeline").map { try $0.decode(String.self, at: 0) }
            }
            #expect(timeline == ["H79.01.01"])
        }
    }

    @Test func aProvinceAdminRegistersOnlyCodesOfItsOwnProvinceAndManagesNoOtherProvincesUnit() async throws {
        try await withIntake { harness async throws in
            try await harness.register(unit: "H79.01.01")
            let h01 = TestPrincipal.province(.provinceAdmin, code: "H01", id: "qt-h01")
            let squat = try await harness.request(
                "POST", "/api/units", json: ["code": "H79.01.02", "name": "Phường lấn"], as: h01)
            #expect(squat.status == 422 && squat.problem?.errors?.map(\.code) == ["not_in_province"])
            let claimed = try await harness.request(
                "POST", "/api/units", json: ["code": "H79.01.02", "name": "Phường lấn", "provinceCode": "H79"], as: h01)
            #expect(claimed.status == 403)
            for malformed in ["H01.4", "H01.40.23.1", "H01.AB.23"] {
                let response = try await harness.request(
                    "POST", "/api/units", json: ["code": malformed, "name": "Phường"], as: h01)
                #expect(response.status == 422, "\(malformed)")
            }
            let renamed = try await harness.request(
                "PATCH", "/api/units/H79.01.01", json: ["name": "Đổi tên"], as: h01)
            #expect(renamed.status == 403)
            #expect(await harness.request("POST", "/api/units/H79.01.01/close", as: h01).status == 403)
        }
    }

    @Test func aClosedUnitsStaffAreRefusedAndSoIsOnlineFilingToItOrToAnUnknownUnit() async throws {
        try await withIntake { harness async throws in
            try await harness.register(unit: "H01.11.01")
            let clerk = TestPrincipal.staff(.receptionist, unit: "H01.11.01", id: "tn-h01-11")
            #expect(await harness.request("GET", "/api/dossiers", as: clerk).status == 200)
            var online = receiptBody()
            online["unitCode"] = .string("H01.11.01")
            #expect(try await harness.request("POST", "/api/public/dossiers", json: online).status == 201)

            let closed = await harness.request(
                "POST", "/api/units/H01.11.01/close", as: .province(.provinceAdmin, id: "qt-h01"))
            #expect(try closed.decoded(AdministrativeUnit.self).disabledAt == harness.clock.now)
            let refused = await harness.request("GET", "/api/dossiers", as: clerk)
            #expect(refused.status == 403 && refused.problem?.code == "unit_closed")
            let filed = try await harness.request("POST", "/api/public/dossiers", json: online)
            #expect(filed.status == 422 && filed.problem?.errors?.map(\.code) == ["unit_closed"])

            online["unitCode"] = .string("H01.99.99")
            let unknown = try await harness.request("POST", "/api/public/dossiers", json: online)
            #expect(unknown.status == 422 && unknown.problem?.errors?.map(\.code) == ["unit_not_found"])
            let stranger = await harness.request(
                "GET", "/api/dossiers", as: .staff(.receptionist, unit: "H01.99.99", id: "tn-none"))
            #expect(stranger.status == 403 && stranger.problem?.code == "unit_not_found")
            let count = try await harness.context.transaction(.allUnits) { tx in
                try await tx.query("SELECT count(*) FROM dossiers").single().decode(Int.self, at: 0)
            }
            #expect(count == 1)
        }
    }

    @Test func aUnitSwitchesAProcedureOffForItselfAndOnlineFilingOfItThereIsRefused() async throws {
        try await withIntake { harness async throws in
            try await harness.register(unit: "H01.11.01")
            let off = try await harness.request(
                "PUT", "/api/procedures/1.001193/offered", json: ["offered": false], as: .staff(.admin, id: "qt-01"))
            #expect(off.status == 200)
            let refused = try await harness.request("POST", "/api/public/dossiers", json: receiptBody())
            #expect(refused.status == 422 && refused.problem?.errors?.map(\.code) == ["procedure_not_offered"])
            var elsewhere = receiptBody()
            elsewhere["unitCode"] = .string("H01.11.01")
            #expect(try await harness.request("POST", "/api/public/dossiers", json: elsewhere).status == 201)
            let on = try await harness.request(
                "PUT", "/api/procedures/1.001193/offered", json: ["offered": true], as: .staff(.admin, id: "qt-01"))
            #expect(on.status == 200)
            #expect(try await harness.request("POST", "/api/public/dossiers", json: receiptBody()).status == 201)
            let byClerk = try await harness.request(
                "PUT", "/api/procedures/1.001193/offered", json: ["offered": false], as: receptionist)
            #expect(byClerk.status == 403)
        }
    }
}
