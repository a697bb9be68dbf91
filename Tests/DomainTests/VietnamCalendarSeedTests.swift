import Domain
import Testing

/// Checks on the seeded 2025–2027 data itself, so a typo in a date or a lopsided swap fails here.
@Suite struct VietnamCalendarSeedTests {
    let calendar = WorkingCalendar.vietnam2025to2027

    @Test func coversTwentyTwentyFiveToTwentyTwentySeven() {
        #expect(calendar.coveredYears == 2025...2027)
        #expect(calendar.entries.allSatisfy { calendar.covers(year: $0.date.year) })
    }

    @Test func everyMakeUpWorkingDayIsASaturday() {
        let makeUps = calendar.entries.filter { $0.kind == .makeUpWorkingDay }
        #expect(makeUps.map(\.date) == [day("2025-04-26"), day("2026-01-10"), day("2026-08-22")])
        #expect(makeUps.allSatisfy { $0.date.weekday == 6 })
    }

    @Test func eachYearGivesTheElevenStatutoryDaysOffNetOfSwaps() {
        // Art. 112: 1 + 5 + 1 + 1 + 1 + 2 = 11 days; a weekend holiday is compensated by a weekday, and every
        // swapped weekday is paid back by a make-up Saturday, so weekday holidays − make-up days = 11.
        for year in 2025...2027 {
            let entries = calendar.entries.filter { $0.date.year == year }
            let weekdayHolidays = entries.filter { $0.kind == .holiday && !$0.date.isWeekend }.count
            let makeUps = entries.filter { $0.kind == .makeUpWorkingDay }.count
            #expect(weekdayHolidays - makeUps == 11, "year \(year)")
        }
    }

    @Test func theFixedHolidaysAreDaysOffWhenTheyFallOnWeekdays() {
        for year in 2025...2027 {
            for (month, dayOfMonth) in [(1, 1), (4, 30), (5, 1), (9, 2)] {
                let date = LocalDate(year: year, month: month, day: dayOfMonth)!
                if !date.isWeekend { #expect(!calendar.isWorkingDay(date), "\(date)") }
            }
        }
    }

    @Test func tetTakesFiveWeekdaysEachYear() {
        for (year, name) in [(2025, "Ất Tỵ"), (2026, "Bính Ngọ"), (2027, "Đinh Mùi")] {
            let tet = calendar.entries.filter { $0.date.year == year && $0.name.hasPrefix("Tết Nguyên đán \(name)") }
            #expect(tet.count == 5 && tet.allSatisfy { !$0.date.isWeekend }, "Tết \(year)")
        }
    }

    @Test func onlyUnconfirmedEntriesAreProvisional() {
        #expect(calendar.entries.filter { $0.date.year == 2025 }.allSatisfy { !$0.provisional })
        #expect(
            calendar.entries.filter { $0.date.year == 2027 }.allSatisfy {
                $0.provisional && $0.name.hasSuffix("(dự kiến)")
            })
        let provisional2026 = calendar.entries.filter { $0.date.year == 2026 && $0.provisional }.map(\.date)
        #expect(provisional2026 == [day("2026-08-22"), day("2026-08-31")])
    }

    @Test func countsTheWorkingDaysOfEachYear() {
        // Weekdays minus weekday holidays plus make-up days: 2025 has 261 − 12 + 1, 2026 has 261 − 13 + 2,
        // 2027 has 261 − 11.
        for (year, expected) in [(2025, 250), (2026, 250), (2027, 250)] {
            let lastOfPreviousYear = LocalDate(year: year - 1, month: 12, day: 31)!
            #expect(
                calendar.workingDaysBetween(lastOfPreviousYear, LocalDate(year: year, month: 12, day: 31)!) == expected)
        }
    }
}
