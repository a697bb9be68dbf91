import Foundation
import HTTP
@testable import Intake
import Postgres
import ServiceKit
import ServiceTestSupport
import Testing

/// The unit catalogue: a unit registers only with an official code of its province's catalogue,
/// under the catalogue's name; `motcua-intake units import` loads the catalogue from a CSV file.
@Suite struct UnitCatalogueTests {
    private let provinceAdmin = TestPrincipal.province(.provinceAdmin, code: province)

    @Test func aCodeOfTheProvincesShapeThatIsNotInTheCatalogueIsRefused() async throws {
        try await withIntake { harness in
            let response = try await harness.request(
                "POST", "/api/units", json: ["code": "H01.40.99", "name": "Phường lấn"], as: provinceAdmin)
            #expect(response.status == 422)
            #expect(response.problem?.errors?.map(\.field) == ["code"])
            #expect(response.problem?.errors?.map(\.code) == ["unit_not_in_catalogue"])
            #expect(response.problem?.detail.contains("danh mục đơn vị hành chính") == true)
            #expect(try await unitCodes(harness) == [])
        }
    }

    @Test func aCatalogueCodeRegistersUnderTheCataloguesNameAndAnotherNameIsRefused() async throws {
        try await withIntake { harness in
            try await harness.catalogue([
                CatalogueUnit(code: "H01.40.26", name: "Phường Bến Nghé"),
                CatalogueUnit(code: harness.ward, name: "Phường Hàng Bạc"),
            ])
            let unnamed = try await harness.request(
                "POST", "/api/units", json: ["code": "H01.40.24"], as: provinceAdmin)
            #expect(try unnamed.decoded(AdministrativeUnit.self).name == "Phường H01.40.24")
            let renamed = try await harness.request(
                "POST", "/api/units", json: ["code": "H01.40.25", "name": "Xã Tân Lập"], as: provinceAdmin)
            #expect(renamed.status == 422 && renamed.problem?.errors?.map(\.code) == ["not_the_catalogue_name"])
            #expect(renamed.problem?.detail.contains("“Phường H01.40.25”") == true)
            let decomposed = "Phường Bến Nghé".decomposedStringWithCanonicalMapping
            let same = try await harness.request(
                "POST", "/api/units", json: ["code": "H01.40.26", "name": " \(decomposed) "], as: provinceAdmin)
            #expect(
                try same.decoded(AdministrativeUnit.self).name.unicodeScalars.elementsEqual(
                    "Phường Bến Nghé".unicodeScalars))
            try await harness.administrator("admin", province: province)
            let ward = try await harness.context.transaction(.unit(harness.ward)) { tx in
                try await UnitStore.unit(harness.ward, in: tx)
            }
            #expect(ward?.name == "Phường Hàng Bạc", "admin create names the default unit as the catalogue does")
            #expect(try await unitCodes(harness) == ["H01.40.23", "H01.40.24", "H01.40.26"])
        }
    }

    @Test func aProvinceAdminCannotRegisterACatalogueCodeOfAnotherProvince() async throws {
        try await withIntake { harness in
            let body = ["code": "H79.01.02"]
            let squat = try await harness.request("POST", "/api/units", json: body, as: provinceAdmin)
            #expect(squat.status == 422 && squat.problem?.errors?.map(\.code) == ["not_in_province"])
            let claimed = try await harness.request(
                "POST", "/api/units", json: body.merging(["provinceCode": "H79"]) { $1 }, as: provinceAdmin)
            #expect(claimed.status == 403)
            #expect(try await unitCodes(harness) == [])
            let own = try await harness.request(
                "POST", "/api/units", json: body, as: .province(.provinceAdmin, code: "H79", id: "qt-h79"))
            #expect(own.status == 201)
        }
    }

    @Test func theImportRefusesABadFileNamingEachBadLineAndImportsNothing() async throws {
        try await withIntake { harness in
            let file = try temporaryFile(
                """
                code,name,administrative_code
                H01.50.01,Phường Một,00001
                H01.5.02,Phường Hai,
                H01.50.03,Phường Ba,123
                H01.50.01,Phường Một lần nữa,
                H79.50.04,Phường Bốn,
                H01.50.05,"Phường Năm,
                H01.50.06,,
                H01.50.07,Phường Bảy,,thừa
                """)
            defer { try? FileManager.default.removeItem(atPath: file) }
            let output = CapturedOutput()
            let status = await UnitsCommand.run(
                ["import", "--file", file], environment: harness.commandEnvironment, output: output.output)
            #expect(status == 1)
            #expect(output.text.contains("refused, nothing imported"))
            for line in 3...9 { #expect(output.text.contains("line \(line):"), "line \(line): \(output.text)") }
            #expect(!output.text.contains("line 2:"))
            #expect(output.text.contains("line 5: code H01.50.01 is already on line 2"))
            #expect(try await catalogueCodes(harness, province: "H01").allSatisfy { !$0.hasPrefix("H01.50.") })

            let headless = try temporaryFile("H01.50.01,Phường Một\n")
            defer { try? FileManager.default.removeItem(atPath: headless) }
            let noHeader = CapturedOutput()
            #expect(
                await UnitsCommand.run(
                    ["import", "--file", headless], environment: harness.commandEnvironment, output: noHeader.output)
                    == 1)
            #expect(noHeader.text.contains("line 1: the header must name the columns code and name"))
            let misuse = CapturedOutput()
            #expect(
                await UnitsCommand.run(
                    ["import", file], environment: harness.commandEnvironment, output: misuse.output)
                    == 2)
        }
    }

    @Test func theImportLoadsAGoodFileOnceHoweverOftenItRunsAndAuditsEachRunWithoutNames() async throws {
        try await withIntake { harness in
            let text =
                "\u{FEFF}code,name,province_code,administrative_code\r\n"
                + "H01.50.01,\"Phường Một, quận Mẫu\",H01,00001\r\n"
                + "H01.50.02,\"Xã \"\"Hai\"\"\",H01,\r\n"
                + "H01.50.03,Xã Ba,H01,00003\r\n"
            let file = try temporaryFile(text)
            defer { try? FileManager.default.removeItem(atPath: file) }
            var reports: [String] = []
            for _ in 1...2 {
                let output = CapturedOutput()
                let status = await UnitsCommand.run(
                    ["import", "--file", file], environment: harness.commandEnvironment, output: output.output)
                #expect(status == 0, "\(output.text)")
                reports.append(output.text)
            }
            #expect(reports[0] == "imported the catalogue of province H01: 3 units, 3 new, 0 changed, 0 unchanged")
            #expect(reports[1] == "imported the catalogue of province H01: 3 units, 0 new, 0 changed, 3 unchanged")
            let rows = try await harness.database.pool(maxConnections: 1).query(
                """
                SELECT code, name, province_code, administrative_code FROM intake.unit_catalogue
                WHERE code LIKE 'H01.50.%' ORDER BY code
                """
            ).map { try $0.decode(String.self, String.self, String.self, String?.self) }
            #expect(rows.map(\.0) == ["H01.50.01", "H01.50.02", "H01.50.03"])
            #expect(rows.map(\.1) == ["Phường Một, quận Mẫu", "Xã \"Hai\"", "Xã Ba"])
            #expect(rows.map(\.2) == ["H01", "H01", "H01"] && rows.map(\.3) == ["00001", nil, "00003"])

            try (text.replacingOccurrences(of: "Xã Ba", with: "Phường Ba")).write(
                toFile: file, atomically: true, encoding: .utf8)
            let changed = CapturedOutput()
            #expect(
                await UnitsCommand.run(
                    ["import", "--file", file], environment: harness.commandEnvironment, output: changed.output) == 0)
            #expect(changed.text.hasSuffix("0 new, 1 changed, 2 unchanged"))

            let audited = try await harness.database.pool(maxConnections: 1).query(
                """
                SELECT unit_code, actor, details::text FROM intake.audit_trail
                WHERE action = 'unit_catalogue.imported' AND actor <> 'system:test' ORDER BY id
                """
            ).map { try $0.decode(String.self, String.self, String.self) }
            #expect(audited.map(\.0) == Array(repeating: "province:H01", count: 3))
            #expect(audited.map(\.1) == Array(repeating: "system:units-import", count: 3))
            #expect(audited.allSatisfy { !$0.2.contains("Phường") && !$0.2.contains("H01.50") })

            let registered = try await harness.request(
                "POST", "/api/units", json: ["code": "H01.50.03"], as: provinceAdmin)
            #expect(try registered.decoded(AdministrativeUnit.self).name == "Phường Ba")
        }
    }

    @Test func theShippedDemoCatalogueImportsAndListsTheDemoWard() async throws {
        try await withIntake { harness async throws in
            let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("deploy/data/units-H01.csv").path
            let output = CapturedOutput()
            let status = await UnitsCommand.run(
                ["import", "--file", file], environment: harness.commandEnvironment, output: output.output)
            #expect(status == 0, "\(output.text)")
            #expect(try await catalogueCodes(harness, province: province).contains(harness.ward))
        }
    }

    @Test func csvFieldsAreUnquotedAndAnUnclosedQuoteIsNoLine() {
        #expect(UnitCatalogueFile.fields("a,\"b,\"\"c\"\"\",") == ["a", "b,\"c\"", ""])
        #expect(UnitCatalogueFile.fields("\"\",x") == ["", "x"])
        #expect(UnitCatalogueFile.fields("\"a,b") == nil)
    }

    /// The units registered, by code.
    private func unitCodes(_ harness: ServiceHarness<IntakeService>) async throws -> [String] {
        try await harness.database.pool(maxConnections: 1).query("SELECT unit_code FROM intake.units ORDER BY 1")
            .map { try $0.decode(String.self, at: 0) }
    }

    /// The catalogue's codes of `province`.
    private func catalogueCodes(_ harness: ServiceHarness<IntakeService>, province: String) async throws -> [String] {
        try await harness.database.pool(maxConnections: 1).query(
            "SELECT code FROM intake.unit_catalogue WHERE province_code = $1 ORDER BY 1", [province]
        ).map { try $0.decode(String.self, at: 0) }
    }

    /// A new file holding `text`; its path.
    private func temporaryFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.path + "/motcua-units-\(UUID()).csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
