import Domain
import Events
import Intake
import ServiceKit
import ServiceTestSupport
import Testing

/// `ProcedureStore.procedure(code:in:)`, as the dossier receipt calls it in its transaction.
@Suite struct ProcedureStoreTests {
    @Test func aProcedureIsReadInTheCallersTransactionWithItsEventSummary() async throws {
        try await withIntake { harness in
            let (found, missing) = try await harness.context.transaction(.unit(harness.ward)) { tx in
                (
                    try await ProcedureStore.procedure(code: "2.000635", in: tx),
                    try await ProcedureStore.procedure(code: "9.999999", in: tx)
                )
            }
            let procedure = try #require(found)
            #expect(missing == nil)
            #expect(procedure.sameDayCutoff == TimeOfDay(hour: 15, minute: 0))
            #expect(procedure.components.map(\.code) == ["TK", "UQ"])
            #expect(
                procedure.summary
                    == ProcedureSummary(
                        code: "2.000635", name: "Cấp bản sao trích lục hộ tịch", field: "Hộ tịch", level: .full,
                        processingDays: 0, fee: Money(dong: 8_000), charge: .zero, electronicResult: true,
                        reuseEligible: true))
        }
    }
}
