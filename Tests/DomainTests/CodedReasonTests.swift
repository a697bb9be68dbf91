import Domain
import Foundation
import Testing

@Suite struct CodedReasonTests {
    @Test func everyReasonHasASnakeCaseCodeAndAVietnameseLabel() {
        let codes =
            RefusalReason.allCases.map(\.rawValue) + SupplementReason.allCases.map(\.rawValue)
            + ExclusionCause.allCases.map(\.rawValue)
        for code in codes { #expect(code.allSatisfy { $0.isLowercase || $0 == "_" }, "\(code)") }
        let labels =
            RefusalReason.allCases.map(\.label) + SupplementReason.allCases.map(\.label)
            + ExclusionCause.allCases.map(\.label)
        #expect(labels.allSatisfy { !$0.isEmpty })
        #expect(Set(RefusalReason.allCases.map(\.label)).count == RefusalReason.allCases.count)
        #expect(Set(SupplementReason.allCases.map(\.label)).count == SupplementReason.allCases.count)
    }

    @Test func theListsHoldTheCasesTheFormsNeed() {
        #expect(RefusalReason.notUnderCompetence.rawValue == "not_under_competence")
        #expect(RefusalReason.ineligible.label == "Không đủ điều kiện giải quyết theo quy định")
        #expect(SupplementReason.missingComponent.rawValue == "missing_component")
        #expect(SupplementReason.wrongForm.rawValue == "wrong_form")
        #expect(ExclusionCause.allCases.map(\.rawValue) == ["system_fault", "force_majeure"])
    }

    @Test func aReasonIsFoundByItsCode() throws {
        #expect(try RefusalReason(code: "ineligible") == .ineligible)
        #expect(try SupplementReason(code: "wrong_form") == .wrongForm)
        #expect(try ExclusionCause(code: "force_majeure") == .forceMajeure)
    }

    @Test func anUnknownCodeIsInvalidAndListsTheCodesAllowed() {
        let error = #expect(throws: DomainError.self) { try ExclusionCause(code: "holiday") }
        #expect(error?.code == "invalid_reason_code")
        #expect(error?.kind == .invalid)
        #expect(error?.message.contains("nguyên nhân chậm trễ khách quan") == true)
        #expect(error?.message.contains("system_fault, force_majeure") == true)
        #expect(throws: DomainError.self) { try RefusalReason(code: "Ineligible") }
        #expect(throws: DomainError.self) { try SupplementReason(code: "") }
    }

    @Test func reasonsTravelAsTheirCodes() throws {
        let json = try JSONEncoder().encode([SupplementReason.invalidCopy])
        #expect(String(decoding: json, as: UTF8.self) == #"["invalid_copy"]"#)
        #expect(try JSONDecoder().decode(RefusalReason.self, from: Data(#""not_entitled""#.utf8)) == .notEntitled)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(RefusalReason.self, from: Data(#""nope""#.utf8))
        }
    }
}
