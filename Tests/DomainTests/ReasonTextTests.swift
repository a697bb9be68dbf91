import Domain
import Foundation
import Testing

@Suite struct ReasonTextTests {
    @Test func theTextIsKeptTrimmed() throws {
        #expect(try ReasonText("  Thiếu giấy chứng sinh bản chính.\n").value == "Thiếu giấy chứng sinh bản chính.")
        #expect(try ReasonText("Dòng 1\nDòng 2").value == "Dòng 1\nDòng 2")
    }

    @Test func anEmptyOrBlankTextIsRequired() {
        for blank in ["", "   ", "\n\t", "\u{00A0}"] {
            let error = #expect(throws: DomainError.self) { try ReasonText(blank) }
            #expect(error?.code == "reason_text_required")
            #expect(error?.kind == .invalid)
        }
    }

    @Test func theTextIsBoundedInCharactersNotBytes() throws {
        let longest = String(repeating: "ệ", count: ReasonText.maximumLength)  // 3 bytes each in UTF-8
        #expect(try ReasonText(longest).value.count == ReasonText.maximumLength)
        let error = #expect(throws: DomainError.self) { try ReasonText(longest + "a") }
        #expect(error?.code == "reason_text_too_long")
        #expect(error?.kind == .invalid)
    }

    @Test func aTextTravelsAsAStringAndIsCheckedOnTheWayIn() throws {
        let json = try JSONEncoder().encode(try ReasonText("Lý do"))
        #expect(String(decoding: json, as: UTF8.self) == #""Lý do""#)
        #expect(try JSONDecoder().decode(ReasonText.self, from: Data(#"" x ""#.utf8)).value == "x")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ReasonText.self, from: Data(#""  ""#.utf8)) }
    }
}
