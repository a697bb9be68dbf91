import Domain
import Foundation
import Testing

@Suite struct MoneyTests {
    @Test func formatsWithDotsBetweenThousandsAndTheDongSign() {
        #expect(Money(dong: 1_250_000).formatted == "1.250.000 đ")
        #expect(Money(dong: 50_000).formatted == "50.000 đ")
        #expect(Money(dong: 1_000).formatted == "1.000 đ")
        #expect(Money(dong: 999).formatted == "999 đ")
        #expect(Money(dong: 1_000_001).formatted == "1.000.001 đ")
        #expect(Money(dong: 1_250_000).description == "1.250.000 đ")
    }

    @Test func formatsZeroAndNegatives() {
        #expect(Money.zero.formatted == "0 đ")
        #expect(Money(dong: -1_250_000).formatted == "-1.250.000 đ")
        #expect(Money(dong: -5).formatted == "-5 đ")
    }

    @Test func formatsTheExtremes() {
        #expect(Money(dong: .max).formatted == "9.223.372.036.854.775.807 đ")
        #expect(Money(dong: .min).formatted == "-9.223.372.036.854.775.808 đ")
    }

    @Test(
        arguments: [
            ("1.250.000 đ", 1_250_000), ("1.250.000đ", 1_250_000), ("1250000", 1_250_000), ("-1.250.000 đ", -1_250_000),
            ("0 đ", 0), ("0", 0), ("-0", 0), ("999 đ", 999), ("  50.000 ₫ ", 50_000), ("1.000\u{00A0}đ", 1_000),
            ("-9.223.372.036.854.775.808 đ", Int64.min),
        ] as [(String, Int64)])
    func parsesFormattedTextAndPlainDigits(_ text: String, _ dong: Int64) throws {
        #expect(try Money(parsing: text) == Money(dong: dong))
    }

    @Test func parsingUndoesFormatting() throws {
        for dong: Int64 in [0, 7, -7, 1_000, 123_456_789, -1_250_000, .max, .min] {
            #expect(try Money(parsing: Money(dong: dong).formatted) == Money(dong: dong))
        }
    }

    @Test(arguments: [
        "", "đ", "-", "- 5", "--5", "+5", "1,250,000", "1.25.000", "1250.000", ".250", "1.250.", "1..250", "12a",
        "1.5", "1 250 000", "đ 5", "9.223.372.036.854.775.808", "١٢٣",
    ])
    func rejectsMalformedAmounts(_ text: String) {
        #expect {
            try Money(parsing: text)
        } throws: { ($0 as? DomainError)?.code == "invalid_money" }
    }

    @Test func addsSubtractsAndMultipliesByCounts() {
        let fee = Money(dong: 25_000)
        #expect(fee + Money(dong: 5_000) == Money(dong: 30_000))
        #expect(fee - Money(dong: 30_000) == Money(dong: -5_000))
        #expect(-fee == Money(dong: -25_000))
        #expect(fee * 3 == Money(dong: 75_000))
        #expect(3 * fee == fee * 3)
        #expect([fee, fee, Money(dong: 2_000)].reduce(.zero, +) == Money(dong: 52_000))
    }

    @Test func ordersByAmount() {
        #expect(Money(dong: -1) < .zero)
        #expect(
            [Money(dong: 30), Money(dong: -2), Money(dong: 7)].sorted() == [
                Money(dong: -2), Money(dong: 7), Money(dong: 30),
            ])
    }

    @Test func encodesAsAJSONInteger() throws {
        let json = String(decoding: try JSONEncoder().encode(["fee": Money(dong: 1_250_000)]), as: UTF8.self)
        #expect(json == #"{"fee":1250000}"#)
        #expect(
            try JSONDecoder().decode([String: Money].self, from: Data(json.utf8)) == ["fee": Money(dong: 1_250_000)])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([String: Money].self, from: Data(#"{"fee":"1.250.000 đ"}"#.utf8))
        }
    }
}
