import Domain
import Foundation
import Testing

@Suite struct CitizenIDTests {
    @Test func aNumberDecodesItsProvinceSexAndBirthYear() throws {
        let id = try CitizenID(parsing: "001085012345")
        #expect(id.value == "001085012345")
        #expect(id.provinceCode == "001")
        #expect(id.provinceName == "Hà Nội")
        #expect(id.sex == .male)
        #expect(id.birthYear == 1985)
        let caMau = try CitizenID(parsing: "096305000001")
        #expect(caMau.provinceName == "Cà Mau")
        #expect(caMau.sex == .female)
        #expect(caMau.birthYear == 2005)
    }

    @Test(arguments: [
        ("0", 1900, CitizenID.Sex.male), ("1", 1900, .female), ("2", 2000, .male), ("3", 2000, .female),
        ("4", 2100, .male), ("5", 2100, .female), ("6", 2200, .male), ("7", 2200, .female), ("8", 1800, .male),
        ("9", 1800, .female),
    ])
    func theFourthDigitGivesCenturyAndSex(digit: String, century: Int, sex: CitizenID.Sex) throws {
        let id = try CitizenID(parsing: "079\(digit)42123456")
        #expect(id.birthYear == century + 42)
        #expect(id.sex == sex)
    }

    @Test func theProvinceListHoldsTheSixtyThreeProvinces() {
        #expect(CitizenID.provinces.count == 63)
        #expect(CitizenID.provinces["001"] == "Hà Nội")
        #expect(CitizenID.provinces["079"] == "Hồ Chí Minh")
        #expect(CitizenID.provinces["096"] == "Cà Mau")
        #expect(CitizenID.provinces.keys.allSatisfy { $0.count == 3 && $0.allSatisfy(\.isNumber) })
        #expect(Set(CitizenID.provinces.values).count == 63)
    }

    @Test func surroundingSpacesAreIgnored() throws {
        #expect(try CitizenID(parsing: " 001085012345\n").value == "001085012345")
    }

    @Test(arguments: [
        "", "00108501234", "0010850123456", "00108501234a", "001 085 012 345", "００１０８５０１２３４５", "-01085012345",
    ])
    func aNumberNotOfTwelveDigitsIsRefused(text: String) {
        let error = #expect(throws: DomainError.self) { try CitizenID(parsing: text) }
        #expect(error?.code == "invalid_cccd")
        #expect(error?.kind == .invalid)
        #expect(error?.message == "Số CCCD phải gồm đúng 12 chữ số.")
    }

    @Test(arguments: ["000085012345", "003085012345", "097085012345", "100085012345", "999085012345"])
    func aNumberWhoseProvinceCodeDoesNotExistIsRefusedWithoutEchoingIt(text: String) {
        let error = #expect(throws: DomainError.self) { try CitizenID(parsing: text) }
        #expect(error?.code == "invalid_cccd")
        #expect(error?.message.contains(text) == false)
        #expect(error?.message.contains(String(text.dropFirst(3))) == false)
        #expect(error?.message.contains("“\(text.prefix(3))”") == true)
    }

    @Test func interpolationShowsTheNumberMasked() throws {
        let id = try CitizenID(parsing: "001085012345")
        #expect(id.masked == "001•••••••45")
        #expect("\(id)" == "001•••••••45")
    }

    @Test func anIdentityNumberTravelsAsItsDigitsAndIsCheckedOnTheWayIn() throws {
        let json = try JSONEncoder().encode(try CitizenID(parsing: "001085012345"))
        #expect(String(decoding: json, as: UTF8.self) == #""001085012345""#)
        #expect(try JSONDecoder().decode(CitizenID.self, from: json).birthYear == 1985)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(CitizenID.self, from: Data(#""003085012345""#.utf8))
        }
    }
}
