import Domain
import Foundation
import Intake
import ServiceTestSupport
import Testing

/// The demo catalogue migration 5 seeds, read back through the public API.
@Suite struct ProcedureSeedTests {
    @Test func theSeedHoldsAtLeastTwentyFiveDemoProceduresWithDistinctCodes() async throws {
        try await withIntake { harness in
            let seeded = try await harness.procedures().items
            #expect(seeded.count >= 25)
            #expect(Set(seeded.map(\.code)).count == seeded.count)
            #expect(seeded.allSatisfy { $0.demo })
            #expect(seeded.allSatisfy { $0.active })
        }
    }

    @Test func everySeededProcedurePassesTheAdminsValidationUnchanged() async throws {
        try await withIntake { harness in
            for procedure in try await harness.procedures().items {
                var checked = try ProcedureDraft(procedure).validated()
                checked.demo = true
                #expect(checked == procedure, "\(procedure.code) \(procedure.name)")
                #expect((0...365).contains(procedure.processingDays))
                #expect(!procedure.components.isEmpty && procedure.components.contains { $0.required })
                #expect(!procedure.legalBasis.isEmpty)
            }
        }
    }

    @Test func sameDayProceduresHaveTheThreeOClockCutoffAndNoOtherHasOne() async throws {
        try await withIntake { harness in
            let seeded = try await harness.procedures().items
            let sameDay = seeded.filter { $0.processingDays == 0 }
            #expect(sameDay.count >= 5)
            #expect(sameDay.allSatisfy { $0.sameDayCutoff == TimeOfDay(hour: 15, minute: 0) })
            #expect(seeded.filter { $0.processingDays > 0 }.allSatisfy { $0.sameDayCutoff == nil })
        }
    }

    @Test func theSeedCoversEveryFieldAndTheNationalCodesTheCatalogueGives() async throws {
        try await withIntake { harness in
            let seeded = try await harness.procedures().items
            #expect(Set(seeded.map(\.field)) == seededFields)
            let byCode = Dictionary(uniqueKeysWithValues: seeded.map { ($0.code, $0) })
            #expect(byCode["2.000908"]?.name == "Cấp bản sao từ sổ gốc")
            #expect(byCode["1.000894"]?.name == "Đăng ký kết hôn")
            #expect(byCode["1.004859"]?.field == "Hộ tịch")
            #expect(byCode["2.000635"]?.fee == Money(dong: 8_000))
            #expect(byCode["L.NCN.01"]?.charge == Money(dong: 400_000))
            #expect(byCode["L.CT.02"]?.level == .inPerson)
        }
    }
}
