import Domain
import Foundation
import Testing

@Suite struct DossierActionTests {
    @Test func rawValuesAreSnakeCaseAndPathsUseHyphens() {
        #expect(
            DossierAction.allCases.map(\.rawValue) == [
                "accept", "start", "request_supplement", "supplement", "refuse", "withdraw", "complete", "return",
                "apologise", "exclude_delay",
            ])
        #expect(DossierAction.requestSupplement.pathSegment == "request-supplement")
        #expect(DossierAction.excludeDelay.pathSegment == "exclude-delay")
        #expect(DossierAction.returnResult.pathSegment == "return")
    }

    @Test func everyActionIsFoundByItsPathSegment() {
        for action in DossierAction.allCases { #expect(DossierAction(pathSegment: action.pathSegment) == action) }
        #expect(DossierAction(pathSegment: "request_supplement") == nil)
        #expect(DossierAction(pathSegment: "delete") == nil)
        #expect(DossierAction(pathSegment: "") == nil)
    }

    @Test func actionsTravelAsTheirRawValues() throws {
        let json = try JSONEncoder().encode([DossierAction.returnResult, .excludeDelay])
        #expect(String(decoding: json, as: UTF8.self) == #"["return","exclude_delay"]"#)
        #expect(try JSONDecoder().decode([DossierAction].self, from: json) == [.returnResult, .excludeDelay])
    }
}
