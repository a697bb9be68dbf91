import Domain
import Foundation
import Testing

/// The instant Vietnam's wall clock reads `hour:minute` on the `yyyy-mm-dd` date `iso`; test data only.
private func vn(_ iso: String, _ hour: Int, _ minute: Int = 0, _ second: Int = 0) -> Date {
    VietnamTime.instant(on: day(iso), secondsSinceMidnight: hour * 3600 + minute * 60 + second)
}

@Suite struct DossierClockTests {
    // 2026-03-09 is a Monday; 2026-04-30 and 2026-05-01 (Thu, Fri) are holidays; Sat 2026-01-10 is a make-up day.
    let clock = DossierClock(calendar: .vietnam2025to2027)

    // MARK: Appointment dates

    @Test func aDossierReceivedBeforeTheCutoffCountsFromThatDay() {
        #expect(clock.deadline(receivedAt: vn("2026-03-09", 10), processingDays: 5).dueDate == day("2026-03-16"))
        #expect(clock.deadline(receivedAt: vn("2026-03-09", 16, 30), processingDays: 5).dueDate == day("2026-03-16"))
    }

    @Test func aDossierReceivedAfterTheAfternoonCutoffCountsFromTheNextWorkingDay() {
        #expect(clock.deadline(receivedAt: vn("2026-03-09", 16, 30, 1), processingDays: 5).dueDate == day("2026-03-17"))
        #expect(clock.deadline(receivedAt: vn("2026-03-13", 16, 45), processingDays: 1).dueDate == day("2026-03-17"))
    }

    @Test func aSameDayProcedureReceivedAfterThreeIsReturnedTheNextWorkingDay() {
        #expect(clock.deadline(receivedAt: vn("2026-03-09", 14, 59), processingDays: 0).dueDate == day("2026-03-09"))
        #expect(clock.deadline(receivedAt: vn("2026-03-09", 15, 0), processingDays: 0).dueDate == day("2026-03-09"))
        #expect(clock.deadline(receivedAt: vn("2026-03-09", 15, 1), processingDays: 0).dueDate == day("2026-03-10"))
        #expect(clock.deadline(receivedAt: vn("2026-03-13", 15, 30), processingDays: 0).dueDate == day("2026-03-16"))
    }

    @Test func aProceduresOwnCutoffWinsOverTheDefaults() {
        let eleven = TimeOfDay(hour: 11, minute: 0)!
        #expect(clock.cutoff(processingDays: 0, procedureCutoff: nil) == .sameDayCutoff)
        #expect(clock.cutoff(processingDays: 3, procedureCutoff: nil) == .afternoonCutoff)
        #expect(clock.cutoff(processingDays: 0, procedureCutoff: eleven) == eleven)
        #expect(clock.cutoff(processingDays: 3, procedureCutoff: eleven) == eleven)
        let late = clock.deadline(receivedAt: vn("2026-03-09", 11, 30), processingDays: 2, procedureCutoff: eleven)
        #expect(late.dueDate == day("2026-03-12"))
    }

    @Test func theUnitsAfternoonCutoffIsConfigurable() {
        let early = DossierClock(calendar: .vietnam2025to2027, afternoonCutoff: TimeOfDay(hour: 16, minute: 0)!)
        #expect(early.deadline(receivedAt: vn("2026-03-09", 16, 15), processingDays: 1).dueDate == day("2026-03-11"))
        #expect(clock.deadline(receivedAt: vn("2026-03-09", 16, 15), processingDays: 1).dueDate == day("2026-03-10"))
    }

    @Test func appointmentDatesSkipHolidaysAndWeekendsAndCountMakeUpSaturdays() {
        // Wed 29/4: Thu 30/4 and Fri 1/5 are holidays, then the weekend.
        #expect(clock.deadline(receivedAt: vn("2026-04-29", 9), processingDays: 2).dueDate == day("2026-05-05"))
        // Thu 8/1: Fri 9/1, then the make-up Saturday 10/1.
        #expect(clock.deadline(receivedAt: vn("2026-01-08", 9), processingDays: 2).dueDate == day("2026-01-10"))
        // Received on a Sunday: counts from Monday.
        #expect(clock.deadline(receivedAt: vn("2026-03-15", 9), processingDays: 1).dueDate == day("2026-03-17"))
    }

    @Test func aNewDeadlineRunsAndItsAppointmentIsItsDueDate() {
        let deadline = clock.deadline(receivedAt: vn("2026-03-09", 10), processingDays: 3)
        #expect(deadline.pausedSince == nil)
        #expect(deadline.rescheduledTo == nil)
        #expect(deadline.appointmentDate == deadline.dueDate)
    }

    // MARK: Supplement pauses

    @Test func aSupplementTheSameDayBeforeTheCutoffMovesNothing() {
        #expect(clock.pausedWorkingDays(requestedAt: vn("2026-03-09", 9), suppliedAt: vn("2026-03-09", 15)) == 0)
        #expect(clock.pausedWorkingDays(requestedAt: vn("2026-03-09", 9), suppliedAt: vn("2026-03-09", 16, 30)) == 0)
    }

    @Test func aSupplementAfterTheCutoffCountsFromTheNextWorkingDay() {
        #expect(clock.pausedWorkingDays(requestedAt: vn("2026-03-09", 9), suppliedAt: vn("2026-03-09", 17)) == 1)
    }

    @Test func theWorkingDaysAfterTheRequestUpToTheSupplementAreGivenBack() {
        #expect(clock.pausedWorkingDays(requestedAt: vn("2026-03-09", 16), suppliedAt: vn("2026-03-10", 8)) == 1)
        #expect(clock.pausedWorkingDays(requestedAt: vn("2026-03-09", 9), suppliedAt: vn("2026-03-12", 10)) == 3)
        // Friday to Monday, and a Saturday supplement that counts as Monday's.
        #expect(clock.pausedWorkingDays(requestedAt: vn("2026-03-13", 9), suppliedAt: vn("2026-03-16", 9)) == 1)
        #expect(clock.pausedWorkingDays(requestedAt: vn("2026-03-13", 9), suppliedAt: vn("2026-03-14", 9)) == 1)
        // Across the 30/4–1/5 holidays: only Monday 4/5 was lost.
        #expect(clock.pausedWorkingDays(requestedAt: vn("2026-04-29", 9), suppliedAt: vn("2026-05-04", 9)) == 1)
    }

    @Test func aSupplementBeforeItsRequestMovesNothing() {
        #expect(clock.pausedWorkingDays(requestedAt: vn("2026-03-12", 9), suppliedAt: vn("2026-03-10", 9)) == 0)
    }

    @Test func thePauseMovesTheDueDateByTheWorkingDaysWaited() {
        let running = Deadline(dueDate: day("2026-03-16"))
        let paused = clock.pausing(running, at: vn("2026-03-10", 9))
        #expect(paused.pausedSince == vn("2026-03-10", 9))
        #expect(paused.dueDate == day("2026-03-16"))
        let resumed = clock.resuming(paused, at: vn("2026-03-12", 10))
        #expect(resumed == Deadline(dueDate: day("2026-03-18")))
    }

    @Test func aPauseAlsoMovesAnApologysNewDate() throws {
        let apologised = try clock.rescheduling(Deadline(dueDate: day("2026-03-16")), to: day("2026-03-20"))
        let resumed = clock.resuming(clock.pausing(apologised, at: vn("2026-03-17", 9)), at: vn("2026-03-19", 9))
        #expect(resumed == Deadline(dueDate: day("2026-03-18"), rescheduledTo: day("2026-03-24")))
    }

    @Test func pausingTwiceKeepsTheFirstInstantAndResumingARunningClockChangesNothing() {
        let paused = clock.pausing(Deadline(dueDate: day("2026-03-16")), at: vn("2026-03-10", 9))
        #expect(clock.pausing(paused, at: vn("2026-03-11", 9)) == paused)
        let running = Deadline(dueDate: day("2026-03-16"))
        #expect(clock.resuming(running, at: vn("2026-03-20", 9)) == running)
    }

    // MARK: Deadline states

    @Test func aDossierIsOnTrackThenDueSoonWithinOneWorkingDayThenOverdue() {
        let deadline = Deadline(dueDate: day("2026-03-16"))  // a Monday
        #expect(clock.deadlineState(of: deadline, at: vn("2026-03-11", 9)) == .onTrack)
        #expect(clock.deadlineState(of: deadline, at: vn("2026-03-12", 23, 59)) == .onTrack)
        #expect(clock.deadlineState(of: deadline, at: vn("2026-03-13", 0)) == .dueSoon)  // Friday: next working day
        #expect(clock.deadlineState(of: deadline, at: vn("2026-03-14", 12)) == .dueSoon)  // Saturday
        #expect(clock.deadlineState(of: deadline, at: vn("2026-03-16", 23, 59, 59)) == .dueSoon)
        #expect(clock.deadlineState(of: deadline, at: vn("2026-03-17", 0)) == .overdue)
    }

    @Test func theDeadlineStateFollowsTheVietnameseDayNotUTC() {
        let deadline = Deadline(dueDate: day("2026-03-16"))
        #expect(clock.deadlineState(of: deadline, at: utc("2026-03-16", 16, 59)) == .dueSoon)  // 23:59 in Vietnam
        #expect(clock.deadlineState(of: deadline, at: utc("2026-03-16", 17, 0)) == .overdue)  // 00:00 on the 17th
    }

    @Test func waitingForASupplementNeverTurnsADossierLate() {
        let paused = clock.pausing(Deadline(dueDate: day("2026-03-13")), at: vn("2026-03-10", 9))
        #expect(clock.deadlineState(of: paused, at: vn("2026-03-20", 10)) == .onTrack)  // due would be 25/3
        #expect(clock.deadlineState(of: Deadline(dueDate: day("2026-03-13")), at: vn("2026-03-20", 10)) == .overdue)
        let alreadyLate = clock.pausing(Deadline(dueDate: day("2026-03-09")), at: vn("2026-03-11", 9))
        #expect(clock.deadlineState(of: alreadyLate, at: vn("2026-03-11", 10)) == .overdue)
    }

    // MARK: Outcomes

    @Test func aDossierFinishedBeforeOnOrAfterItsDueDayIsEarlyOnTimeOrLate() {
        let deadline = Deadline(dueDate: day("2026-03-16"))
        #expect(clock.outcome(of: deadline, completedAt: vn("2026-03-13", 17)) == .early)
        #expect(clock.outcome(of: deadline, completedAt: vn("2026-03-16", 0)) == .onTime)
        #expect(clock.outcome(of: deadline, completedAt: vn("2026-03-16", 23, 59)) == .onTime)
        #expect(clock.outcome(of: deadline, completedAt: vn("2026-03-17", 8)) == .late)
        #expect(clock.outcome(of: deadline, completedAt: utc("2026-03-16", 17, 30)) == .late)  // 00:30 on the 17th
    }

    @Test func anApologyDoesNotMakeALateDossierOnTime() throws {
        let apologised = try clock.rescheduling(Deadline(dueDate: day("2026-03-16")), to: day("2026-03-18"))
        #expect(apologised.appointmentDate == day("2026-03-18"))
        #expect(apologised.dueDate == day("2026-03-16"))
        #expect(clock.outcome(of: apologised, completedAt: vn("2026-03-18", 9)) == .late)
        #expect(clock.deadlineState(of: apologised, at: vn("2026-03-17", 9)) == .overdue)
    }

    // MARK: Apology dates

    @Test func anApologysNewDateMustBeALaterWorkingDay() throws {
        let deadline = Deadline(dueDate: day("2026-03-16"))
        for (date, code) in [
            ("2026-03-16", "apology_date_not_later"), ("2026-03-13", "apology_date_not_later"),
            ("2026-03-21", "apology_date_not_working_day"), ("2026-04-30", "apology_date_not_working_day"),
        ] {
            let error = #expect(throws: DomainError.self) { try clock.rescheduling(deadline, to: day(date)) }
            #expect(error?.code == code)
            #expect(error?.kind == .invalid)
        }
        let once = try clock.rescheduling(deadline, to: day("2026-03-18"))
        #expect(throws: DomainError.self) { try clock.rescheduling(once, to: day("2026-03-17")) }
        #expect(try clock.rescheduling(once, to: day("2026-03-19")).rescheduledTo == day("2026-03-19"))
    }

    // MARK: The acceptance clock

    @Test func aSubmissionAtOpeningIsDueForAcceptanceAtClosing() {
        #expect(clock.acceptanceDue(submittedAt: vn("2026-03-09", 7, 30)) == vn("2026-03-09", 17))
        #expect(clock.acceptanceDue(submittedAt: vn("2026-03-09", 6)) == vn("2026-03-09", 17))
    }

    @Test func theAcceptanceClockCountsOnlyOfficeHours() {
        // 1.5 h in the morning, 4 h in the afternoon, 2.5 h on Tuesday morning.
        #expect(clock.acceptanceDue(submittedAt: vn("2026-03-09", 10)) == vn("2026-03-10", 10))
        // Lunch and the end of the morning start at 13:00.
        #expect(clock.acceptanceDue(submittedAt: vn("2026-03-09", 12)) == vn("2026-03-10", 11, 30))
        #expect(clock.acceptanceDue(submittedAt: vn("2026-03-09", 11, 30)) == vn("2026-03-10", 11, 30))
        // 3 h on Monday afternoon, then 5 h: Tuesday's morning and one hour after lunch.
        #expect(clock.acceptanceDue(submittedAt: vn("2026-03-09", 14)) == vn("2026-03-10", 14))
        #expect(clock.acceptanceDue(submittedAt: vn("2026-03-09", 14, 0, 30)) == vn("2026-03-10", 14, 0, 30))
    }

    @Test func theAcceptanceClockSkipsEveningsWeekendsAndHolidays() {
        #expect(clock.acceptanceDue(submittedAt: vn("2026-03-13", 18)) == vn("2026-03-16", 17))  // Friday evening
        #expect(clock.acceptanceDue(submittedAt: vn("2026-03-14", 10)) == vn("2026-03-16", 17))  // Saturday
        // Wednesday 29/4 at 14:00: 3 h, then the holidays and the weekend, then 5 h on Monday 4/5.
        #expect(clock.acceptanceDue(submittedAt: vn("2026-04-29", 14)) == vn("2026-05-04", 14))
    }

    @Test func theAcceptanceClockRunsOnAMakeUpSaturday() {
        #expect(clock.acceptanceDue(submittedAt: vn("2026-01-09", 13)) == vn("2026-01-10", 11, 30))
    }

    @Test func anAcceptanceAfterTheDueInstantIsLate() {
        let submitted = vn("2026-03-09", 10)
        #expect(!clock.isAcceptanceLate(submittedAt: submitted, at: vn("2026-03-09", 16)))
        #expect(!clock.isAcceptanceLate(submittedAt: submitted, at: vn("2026-03-10", 10)))
        #expect(clock.isAcceptanceLate(submittedAt: submitted, at: vn("2026-03-10", 10, 0, 1)))
    }

    @Test func theAcceptanceHoursAndOfficeHoursAreConfigurable() throws {
        let mornings = try WorkingHours(periods: [
            WorkingHours.Period(start: TimeOfDay(hour: 8, minute: 0)!, end: TimeOfDay(hour: 12, minute: 0)!)
        ])
        let clock = DossierClock(calendar: .vietnam2025to2027, workingHours: mornings, acceptanceWorkingHours: 4)
        #expect(clock.acceptanceDue(submittedAt: vn("2026-03-09", 10)) == vn("2026-03-10", 10))
        #expect(clock.acceptanceDue(submittedAt: vn("2026-03-09", 14)) == vn("2026-03-10", 12))
    }
}
