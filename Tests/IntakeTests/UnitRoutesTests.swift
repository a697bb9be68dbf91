import Foundation
import HTTP
@testable import Intake
import Postgres
import ServiceKit
import ServiceTestSupport
import Testing

/// `/api/units`: registering, renaming and listing the units a deployment serves.
@Suite struct UnitRoutesTests {
    private let provinceAdmin = TestPrincipal.province(.provinceAdmin, code: province)

    @Test func registeringAUnitPublishesUnitRegisteredInItsScopeAndAuditsIt() async throws {
        try await withIntake { harness in
            let response = try await harness.request(
                "POST", "/api/units", json: ["code": "H01.40.24", "name": "Phường H01.40.24"], as: provinceAdmin)
            #expect(response.status == 201)
            let unit = try response.decoded(AdministrativeUnit.self)
            #expect(unit.code == "H01.40.24" && unit.provinceCode == province && unit.createdAt == harness.clock.now)
            let renamed = try await harness.request(
                "PATCH", "/api/units/H01.40.24", json: ["name": "Phường Sài Gòn"], as: provinceAdmin)
            #expect(try renamed.decoded(AdministrativeUnit.self).name == "Phường Sài Gòn")
            let events = try await harness.database.pool(maxConnections: 1).query(
                """
                SELECT key, producer, payload->>'wardCode', payload->'data'->>'name', payload->'data'->>'provinceCode'
                FROM mq.events WHERE topic = 'unit.registered' ORDER BY id
                """
            ).map { try $0.decode(String.self, String.self, String.self, String.self, String.self) }
            #expect(events.count == 2)
            #expect(events.map(\.0) == ["H01.40.24", "H01.40.24"] && events.map(\.2) == ["H01.40.24", "H01.40.24"])
            #expect(events.map(\.1) == ["intake", "intake"])
            #expect(events.map(\.3) == ["Phường H01.40.24", "Phường Sài Gòn"] && events[0].4 == province)
            let audited = try await harness.database.pool(maxConnections: 1).query(
                "SELECT array_agg(action ORDER BY id) FROM intake.audit_trail WHERE subject = 'unit:H01.40.24'"
            ).single().decode([String].self, at: 0)
            #expect(audited == ["unit.registered", "unit.renamed"])
        }
    }

    @Test func onlyAProvinceAdminRegistersAUnitOfItsProvinceWithAnAgencyCode() async throws {
        try await withIntake { harness in
            let body = ["code": "H01.40.25", "name": "Phường H01.40.25"]
            #expect(try await harness.request("POST", "/api/units", json: body, as: .staff(.admin)).status == 403)
            let other = try await harness.request(
                "POST", "/api/units", json: body.merging(["provinceCode": "79"]) { $1 }, as: provinceAdmin)
            #expect(other.status == 403)
            let bad = try await harness.request(
                "POST", "/api/units", json: ["code": "h01 40", "name": " "], as: provinceAdmin)
            #expect(bad.status == 422)
            #expect(bad.problem?.errors?.map(\.field) == ["code", "name"])
            #expect(try await harness.request("POST", "/api/units", json: body, as: provinceAdmin).status == 201)
            let twice = try await harness.request("POST", "/api/units", json: body, as: provinceAdmin)
            #expect(twice.status == 409)
            let missing = try await harness.request(
                "PUT", "/api/units/H01.99.99", json: ["name": "Không có"], as: provinceAdmin)
            #expect(missing.status == 404)
        }
    }

    @Test func staffListTheirOwnUnitAndAProvinceAdminItsProvincesUnits() async throws {
        try await withIntake { harness in
            try await harness.administrator("admin", province: province)
            for code in ["H01.40.24", "H01.40.25"] {
                _ = try await harness.request(
                    "POST", "/api/units", json: ["code": code, "name": "Phường \(code)"], as: provinceAdmin)
            }
            _ = try await harness.request(
                "POST", "/api/units", json: ["code": "S79.1", "name": "Phường khác"],
                as: .province(.provinceAdmin, code: "79"))
            let all = try (await harness.request("GET", "/api/units?limit=2", as: provinceAdmin))
                .decoded(PageOf<AdministrativeUnit>.self)
            #expect(all.items.map(\.code) == [harness.ward, "H01.40.24"] && all.nextCursor != nil)
            let own = try (await harness.request("GET", "/api/units", as: .staff(.receptionist)))
                .decoded(PageOf<AdministrativeUnit>.self)
            #expect(own.items.map(\.code) == [harness.ward])
        }
    }
}
