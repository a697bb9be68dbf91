import Domain
import Foundation
import Testing

@Suite struct WorkingCalendarTests {
    let calendar = WorkingCalendar.vietnam2025to2027

    // MARK: Which days are working days

    @Test func weekdaysAreWorkingDaysAndWeekendsAreNot() {
        #expect(calendar.isWorkingDay(day("2026-03-09")))  // Monday
        #expect(calendar.isWorkingDay(day("2026-03-13")))  // Friday
        #expect(!calendar.isWorkingDay(day("2026-03-14")))  // Saturday
        #expect(!calendar.isWorkingDay(day("2026-03-15")))  // Sunday
    }

    @Test func holidaysOnWeekdaysAreNotWorkingDays() {
        #expect(!calendar.isWorkingDay(day("2026-04-30")))  // Thursday, Ngày Chiến thắng
        #expect(!calendar.isWorkingDay(day("2026-05-01")))  // Friday
        #expect(!calendar.isWorkingDay(day("2025-09-02")))  // Tuesday, Quốc khánh
        #expect(!calendar.isWorkingDay(day("2025-09-01")))  // Monday, the adjacent day
        #expect(!calendar.isWorkingDay(day("2026-09-02")))  // Wednesday
        #expect(!calendar.isWorkingDay(day("2026-04-27")))  // Monday, nghỉ bù for Giỗ Tổ on Sunday
    }

    @Test func aMakeUpSaturdayIsAWorkingDayAndItsSwappedWeekdayIsNot() {
        #expect(calendar.isWorkingDay(day("2026-01-10")))
        #expect(!calendar.isWorkingDay(day("2026-01-02")))
        #expect(calendar.isWorkingDay(day("2025-04-26")))
        #expect(!calendar.isWorkingDay(day("2025-05-02")))
    }

    @Test func beyondItsYearsTheCalendarFallsBackToWeekdaysAndSaysSo() {
        #expect(calendar.covers(year: 2025) && calendar.covers(year: 2026) && calendar.covers(year: 2027))
        #expect(!calendar.covers(year: 2024) && !calendar.covers(year: 2028))
        #expect(calendar.isWorkingDay(day("2028-05-01")))  // a Monday; 2028's holidays are not entered
        #expect(!calendar.isWorkingDay(day("2028-05-06")))  // Saturday
        #expect(calendar.addWorkingDays(1, to: day("2028-05-05")) == day("2028-05-08"))
    }

    @Test func nextWorkingDaySkipsWeekendsAndHolidays() {
        #expect(calendar.nextWorkingDay(onOrAfter: day("2026-03-09")) == day("2026-03-09"))
        #expect(calendar.nextWorkingDay(onOrAfter: day("2026-03-14")) == day("2026-03-16"))
        #expect(calendar.nextWorkingDay(onOrAfter: day("2026-02-14")) == day("2026-02-23"))  // across Tết
    }

    // MARK: Counting working days

    @Test func zeroWorkingDaysIsTheSameWorkingDayOrTheNextOne() {
        #expect(calendar.addWorkingDays(0, to: day("2026-03-10")) == day("2026-03-10"))
        #expect(calendar.addWorkingDays(0, to: day("2026-03-14")) == day("2026-03-16"))
    }

    @Test func theStartDayIsNotCounted() {
        #expect(calendar.addWorkingDays(1, to: day("2026-03-09")) == day("2026-03-10"))  // Mon → Tue
        #expect(calendar.addWorkingDays(1, to: day("2026-03-13")) == day("2026-03-16"))  // Fri → Mon
        #expect(calendar.addWorkingDays(5, to: day("2026-03-09")) == day("2026-03-16"))
    }

    @Test func addingWorkingDaysCrossesTet2026() {
        // Friday 13/2 + 5: Tết Bính Ngọ is off Sat 14/2 – Sun 22/2, so the days are 23, 24, 25, 26, 27/2.
        #expect(calendar.addWorkingDays(1, to: day("2026-02-13")) == day("2026-02-23"))
        #expect(calendar.addWorkingDays(5, to: day("2026-02-13")) == day("2026-02-27"))
        #expect(calendar.workingDaysBetween(day("2026-02-13"), day("2026-02-27")) == 5)
    }

    @Test func addingWorkingDaysCountsTheMakeUpSaturday() {
        #expect(calendar.addWorkingDays(1, to: day("2026-01-09")) == day("2026-01-10"))  // Fri → make-up Sat
        #expect(calendar.addWorkingDays(2, to: day("2026-01-09")) == day("2026-01-12"))
    }

    @Test func theYearBoundaryCrossesTetDuongLich() {
        // Wed 31/12/2025; Thu 1/1 holiday, Fri 2/1 swapped, then the weekend; the make-up Sat 10/1 is worked.
        #expect(calendar.addWorkingDays(1, to: day("2025-12-31")) == day("2026-01-05"))
        #expect(calendar.addWorkingDays(5, to: day("2025-12-31")) == day("2026-01-09"))
        #expect(calendar.addWorkingDays(6, to: day("2025-12-31")) == day("2026-01-10"))
        #expect(calendar.workingDaysBetween(day("2025-12-31"), day("2026-01-12")) == 7)
    }

    @Test func workingDaysBetweenExcludesTheStartIncludesTheEndAndIsAntisymmetric() {
        #expect(calendar.workingDaysBetween(day("2026-03-09"), day("2026-03-09")) == 0)
        #expect(calendar.workingDaysBetween(day("2026-03-09"), day("2026-03-10")) == 1)
        #expect(calendar.workingDaysBetween(day("2026-03-13"), day("2026-03-15")) == 0)
        #expect(calendar.workingDaysBetween(day("2026-03-10"), day("2026-03-09")) == -1)
        // (Fri 24/4, Tue 5/5]: Tue 28/4, Wed 29/4, Mon 4/5, Tue 5/5.
        #expect(calendar.workingDaysBetween(day("2026-04-24"), day("2026-05-05")) == 4)
        #expect(calendar.workingDaysBetween(day("2026-05-05"), day("2026-04-24")) == -4)
    }

    @Test func workingDaysBetweenUndoesAddWorkingDaysOnEveryWorkingDayOf2025To2027() {
        var day = day("2025-01-01")
        var checked = 0
        while day <= LocalDate(iso: "2027-12-31")! {
            if calendar.isWorkingDay(day) {
                var previous = day
                for n in 0...45 {
                    let due = calendar.addWorkingDays(n, to: day)
                    #expect(calendar.isWorkingDay(due))
                    #expect(calendar.workingDaysBetween(day, due) == n, "\(n) working days from \(day)")
                    #expect(calendar.workingDaysBetween(due, day) == -n)
                    #expect(n == 0 ? due == day : due > previous)
                    previous = due
                }
                checked += 1
            }
            day = day.adding(days: 1)
        }
        #expect(checked > 740)  // about 250 working days a year
    }

    // MARK: Receipt time and the afternoon cut-off

    @Test func aDossierReceivedBeforeTheCutOffCountsFromThatDay() {
        // 16:29 in Hà Nội is 09:29 UTC. Wednesday 29/4/2026, then 30/4, 1/5 and the weekend are off.
        let received = utc("2026-04-29", 9, 29)
        #expect(calendar.receiptDay(for: received) == day("2026-04-29"))
        #expect(calendar.appointmentDate(receivedAt: received, processingDays: 1) == day("2026-05-04"))
    }

    @Test func aDossierReceivedAfterTheCutOffCountsFromTheNextWorkingDay() {
        let received = utc("2026-04-29", 9, 31)  // 16:31 local
        #expect(calendar.receiptDay(for: received) == day("2026-05-04"))
        #expect(calendar.appointmentDate(receivedAt: received, processingDays: 1) == day("2026-05-05"))
    }

    @Test func theCutOffMinuteItselfStillCountsThatDay() {
        #expect(calendar.receiptDay(for: utc("2026-03-10", 9, 30, 0)) == day("2026-03-10"))
        #expect(calendar.receiptDay(for: utc("2026-03-10", 9, 30, 1)) == day("2026-03-11"))
    }

    @Test func theCutOffIsConfigurable() {
        let received = utc("2026-03-10", 9, 0)  // 16:00 local
        #expect(calendar.receiptDay(for: received, cutoff: TimeOfDay(hour: 15, minute: 30)!) == day("2026-03-11"))
        #expect(
            calendar.appointmentDate(receivedAt: received, processingDays: 2, cutoff: TimeOfDay(hour: 17, minute: 0)!)
                == day("2026-03-12"))
    }

    @Test func theLocalDayIsVietnamsNotUTCs() {
        // 23:30 UTC on Monday 9/3 is 06:30 on Tuesday 10/3 in Vietnam.
        #expect(calendar.receiptDay(for: utc("2026-03-09", 23, 30)) == day("2026-03-10"))
        // 18:00 UTC on Monday is 01:00 Tuesday: early morning counts that day.
        #expect(calendar.receiptDay(for: utc("2026-03-09", 18, 0)) == day("2026-03-10"))
    }

    @Test func aDossierReceivedOnASaturdayCountsFromMonday() {
        let received = utc("2026-03-07", 3, 0)  // Saturday 10:00 local
        #expect(calendar.receiptDay(for: received) == day("2026-03-09"))
        #expect(calendar.appointmentDate(receivedAt: received, processingDays: 2) == day("2026-03-11"))
    }

    @Test func aDossierReceivedOnAMakeUpSaturdayCountsFromThatSaturday() {
        #expect(calendar.receiptDay(for: utc("2026-01-10", 2, 0)) == day("2026-01-10"))
        // Friday 9/1 after the cut-off rolls onto the make-up Saturday, not to Monday.
        #expect(calendar.receiptDay(for: utc("2026-01-09", 10, 0)) == day("2026-01-10"))
    }

    @Test func dossierReceivedFridayAfternoonIsDueAfterTheHoliday() {
        // Friday 24/4/2026 at 16:45: the weekend, Giỗ Tổ (Sun 26/4, compensated Mon 27/4) → counts from Tue 28/4.
        // Three days: Wed 29/4, then 30/4–3/5 are off, Mon 4/5, Tue 5/5.
        let received = utc("2026-04-24", 9, 45)
        #expect(calendar.receiptDay(for: received) == day("2026-04-28"))
        #expect(calendar.appointmentDate(receivedAt: received, processingDays: 3) == day("2026-05-05"))
    }

    @Test func aSameDayProcedureIsDueOnTheReceiptDay() {
        #expect(calendar.appointmentDate(receivedAt: utc("2026-03-10", 2, 0), processingDays: 0) == day("2026-03-10"))
    }

    // MARK: Building a calendar from data

    @Test func aCalendarRejectsTwoEntriesForOneDate() {
        let entries = [
            CalendarEntry(date: day("2026-01-01"), kind: .holiday, name: "Tết Dương lịch"),
            CalendarEntry(date: day("2026-01-01"), kind: .holiday, name: "Tết Dương lịch (lặp)"),
        ]
        #expect {
            try WorkingCalendar(entries: entries, coveredYears: 2026...2026)
        } throws: { ($0 as? DomainError)?.code == "duplicate_calendar_date" }
    }

    @Test func aCalendarRejectsAMakeUpDayOnAWeekday() {
        let entries = [CalendarEntry(date: day("2026-01-09"), kind: .makeUpWorkingDay, name: "Làm bù")]
        #expect {
            try WorkingCalendar(entries: entries, coveredYears: 2026...2026)
        } throws: { ($0 as? DomainError)?.code == "make_up_day_not_weekend" }
    }

    @Test func aCalendarKeepsItsEntriesInDateOrder() throws {
        let entries = [
            CalendarEntry(date: day("2026-09-02"), kind: .holiday, name: "Quốc khánh"),
            CalendarEntry(date: day("2026-01-01"), kind: .holiday, name: "Tết Dương lịch"),
        ]
        let calendar = try WorkingCalendar(entries: entries, coveredYears: 2026...2026)
        #expect(calendar.entries.map(\.date) == [day("2026-01-01"), day("2026-09-02")])
    }

    @Test func anEntryEncodesItsKindInSnakeCase() throws {
        let entry = CalendarEntry(date: day("2026-01-10"), kind: .makeUpWorkingDay, name: "Làm bù")
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(entry)) as? [String: Any]
        #expect(json?["kind"] as? String == "make_up_working_day")
        #expect(json?["date"] as? String == "2026-01-10")
        #expect(try JSONDecoder().decode(CalendarEntry.self, from: JSONEncoder().encode(entry)) == entry)
    }
}
