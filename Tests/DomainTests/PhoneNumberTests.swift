import Domain
import Foundation
import Testing

@Suite struct PhoneNumberTests {
    @Test(arguments: [
        "0912345678", "0912 345 678", "091.234.5678", "091-234-5678", "+84912345678", "+84 912 345 678",
        "84912345678", " 0912345678 ",
    ])
    func everyUsualSpellingIsNormalisedToTheNationalForm(text: String) throws {
        #expect(try PhoneNumber(parsing: text).value == "0912345678")
    }

    @Test func everyMobilePrefixInUseIsAccepted() throws {
        #expect(PhoneNumber.mobilePrefixes.count == 36)
        for prefix in PhoneNumber.mobilePrefixes {
            #expect(try PhoneNumber(parsing: prefix + "1234567").value == prefix + "1234567")
        }
        #expect(PhoneNumber.mobilePrefixes.allSatisfy { ["03", "05", "07", "08", "09"].contains($0.prefix(2)) })
    }

    @Test(arguments: [
        "", "091234567", "09123456789", "0912a45678", "0212345678", "0242345678", "0312345678", "0502345678",
        "0952345678", "0802345678", "+8409123456", "+840912345678", "840912345678", "9123456789", "+1 912345678",
        "01623456789",
    ])
    func aNumberThatIsNotAVietnameseMobileIsRefusedWithoutEchoingIt(text: String) {
        let error = #expect(throws: DomainError.self) { try PhoneNumber(parsing: text) }
        #expect(error?.code == "invalid_phone")
        #expect(error?.kind == .invalid)
        #expect(text.isEmpty || error?.message.contains(text) == false)
    }

    @Test func theLastDigitsProveAPublicLookup() throws {
        let phone = try PhoneNumber(parsing: "+84 987 654 321")
        #expect(phone.lastDigits(4) == "4321")
        #expect(phone.endsWith("4321"))
        #expect(phone.endsWith("654321"))
        #expect(!phone.endsWith("4320"))
        #expect(!phone.endsWith("321"))  // too few to prove anything
        #expect(!phone.endsWith(""))
        #expect(!phone.endsWith("４３２１"))
    }

    @Test func interpolationShowsTheNumberMasked() throws {
        let phone = try PhoneNumber(parsing: "0912345678")
        #expect(phone.masked == "091••••678")
        #expect("\(phone)" == "091••••678")
    }

    @Test func aPhoneNumberTravelsInNationalFormAndIsCheckedOnTheWayIn() throws {
        let decoded = try JSONDecoder().decode(PhoneNumber.self, from: Data(#""+84912345678""#.utf8))
        #expect(String(decoding: try JSONEncoder().encode(decoded), as: UTF8.self) == #""0912345678""#)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(PhoneNumber.self, from: Data(#""0212345678""#.utf8))
        }
    }
}
