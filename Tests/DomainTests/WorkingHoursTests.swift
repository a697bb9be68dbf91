import Domain
import Foundation
import Testing

@Suite struct WorkingHoursTests {
    static func period(_ start: String, _ end: String) -> WorkingHours.Period {
        WorkingHours.Period(start: TimeOfDay(parsing: start)!, end: TimeOfDay(parsing: end)!)
    }

    @Test func theStandardHoursAreHalfPastSevenToHalfPastElevenAndOneToFive() {
        #expect(WorkingHours.standard.periods == [Self.period("07:30", "11:30"), Self.period("13:00", "17:00")])
    }

    @Test func hoursMustBeOrderedNonEmptyPeriods() throws {
        for periods in [
            [], [Self.period("08:00", "08:00")], [Self.period("12:00", "08:00")],
            [Self.period("13:00", "17:00"), Self.period("07:30", "11:30")],
            [Self.period("07:30", "12:00"), Self.period("11:30", "17:00")],
        ] {
            let error = #expect(throws: DomainError.self) { try WorkingHours(periods: periods) }
            #expect(error?.code == "invalid_working_hours")
        }
        #expect(
            try WorkingHours(periods: [Self.period("07:00", "12:00"), Self.period("12:00", "16:00")]).periods.count == 2
        )
    }

    @Test func hoursTravelAsAListOfPeriodsAndAreCheckedOnTheWayIn() throws {
        let json = try JSONEncoder().encode(WorkingHours.standard)
        #expect(try JSONDecoder().decode(WorkingHours.self, from: json) == .standard)
        #expect(String(decoding: json, as: UTF8.self).contains(#""start":"07:30""#))
        let backwards = Data(#"[{"start":"17:00","end":"13:00"}]"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(WorkingHours.self, from: backwards) }
    }
}
