#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The deadline clock of one unit's dossiers (DOMAIN §3): appointment dates, supplement pauses, deadline states,
/// outcomes, apologies' new dates, and the acceptance clock of online submissions. Pure: every instant is a parameter.
///
/// Rules, each configurable through the initialiser:
/// - **Receipt cut-off.** A dossier received after the cut-off counts from the next working day; the cut-off is the
///   procedure's own when it has one, else 15:00 for same-day procedures (0 processing days; Luật Hộ tịch Art. 5(3),
///   NĐ 23/2015 Art. 7), else the unit's afternoon cut-off (16:30).
/// - **Supplement pause.** Requested at instant A and supplied at instant B, the due date moves by the working days
///   after A's day up to and including B's day, where B's day is counted like a receipt (after the afternoon cut-off
///   or on a non-working day it is the next working day). The request's day was worked and stays counted; the day the
///   supplement arrives is given back, as a receipt day is never counted. So a supplement the same day before the
///   cut-off moves nothing; requested Monday and supplied Tuesday moves the due date by one working day.
/// - **Acceptance clock.** An online submission is due for acceptance `acceptanceWorkingHours` (8) office hours
///   after it was submitted, counting only `workingHours` on working days; a submission outside them starts counting
///   at the next period's start.
public struct DossierClock: Sendable {
    /// Which days are working days.
    public let calendar: WorkingCalendar
    /// The office hours in which the acceptance clock runs.
    public let workingHours: WorkingHours
    /// The unit's afternoon cut-off for receipts and supplements (default 16:30).
    public let afternoonCutoff: TimeOfDay
    /// Office hours an online submission may wait for acceptance (default 8, ≥ 0).
    public let acceptanceWorkingHours: Int

    /// A clock over `calendar` with the given settings.
    public init(
        calendar: WorkingCalendar, workingHours: WorkingHours = .standard,
        afternoonCutoff: TimeOfDay = .afternoonCutoff, acceptanceWorkingHours: Int = 8
    ) {
        self.calendar = calendar
        self.workingHours = workingHours
        self.afternoonCutoff = afternoonCutoff
        self.acceptanceWorkingHours = acceptanceWorkingHours
    }

    // MARK: The deadline

    /// The receipt cut-off of a procedure: its own if it has one, else 15:00 for a same-day procedure
    /// (`processingDays == 0`), else the afternoon cut-off.
    public func cutoff(processingDays: Int, procedureCutoff: TimeOfDay?) -> TimeOfDay {
        procedureCutoff ?? (processingDays == 0 ? .sameDayCutoff : afternoonCutoff)
    }

    /// The deadline of a dossier received (or, online, accepted) at `receivedAt`: `processingDays` working days after
    /// its receipt day under the procedure's cut-off.
    public func deadline(receivedAt: Date, processingDays: Int, procedureCutoff: TimeOfDay? = nil) -> Deadline {
        Deadline(
            dueDate: calendar.appointmentDate(
                receivedAt: receivedAt, processingDays: processingDays,
                cutoff: cutoff(processingDays: processingDays, procedureCutoff: procedureCutoff)))
    }

    /// The deadline paused by a supplement request at `instant`; an already paused one keeps its first instant.
    public func pausing(_ deadline: Deadline, at instant: Date) -> Deadline {
        Deadline(
            dueDate: deadline.dueDate, pausedSince: deadline.pausedSince ?? instant,
            rescheduledTo: deadline.rescheduledTo)
    }

    /// The working days a supplement requested at `requestedAt` and supplied at `suppliedAt` moves the due date by
    /// (the rule is in the type's comment); 0 when supplied the same day before the cut-off.
    public func pausedWorkingDays(requestedAt: Date, suppliedAt: Date) -> Int {
        max(
            0,
            calendar.workingDaysBetween(
                VietnamTime(requestedAt).date, calendar.receiptDay(for: suppliedAt, cutoff: afternoonCutoff)))
    }

    /// The deadline running again after the supplement arrived at `instant`: the due date and any apology's date move
    /// by `pausedWorkingDays`. A running deadline is returned unchanged.
    public func resuming(_ deadline: Deadline, at instant: Date) -> Deadline {
        guard let pausedSince = deadline.pausedSince else { return deadline }
        let days = pausedWorkingDays(requestedAt: pausedSince, suppliedAt: instant)
        return Deadline(
            dueDate: calendar.addWorkingDays(days, to: deadline.dueDate),
            rescheduledTo: deadline.rescheduledTo.map { calendar.addWorkingDays(days, to: $0) })
    }

    /// Where a pending dossier stands at `instant`: overdue once its Vietnamese day is after the due date, due soon
    /// when due that day or on the next working day, else on track. A paused deadline is judged as if the supplement
    /// arrived at `instant`, so waiting for the citizen never turns a dossier late.
    public func deadlineState(of deadline: Deadline, at instant: Date) -> DeadlineState {
        let due = resuming(deadline, at: instant).dueDate
        let today = VietnamTime(instant).date
        if today > due { return .overdue }
        return calendar.workingDaysBetween(today, due) <= 1 ? .dueSoon : .onTrack
    }

    /// How a dossier completed at `instant` met its due date: its Vietnamese day before, on or after it.
    public func outcome(of deadline: Deadline, completedAt instant: Date) -> DossierOutcome {
        let day = VietnamTime(instant).date
        return day < deadline.dueDate ? .early : day == deadline.dueDate ? .onTime : .late
    }

    /// The deadline with an apology's new appointment date; throws (.invalid) `apology_date_not_later` unless the
    /// date is after the current appointment date and `apology_date_not_working_day` unless it is a working day.
    public func rescheduling(_ deadline: Deadline, to newDate: LocalDate) throws -> Deadline {
        guard newDate > deadline.appointmentDate else {
            throw DomainError(
                code: "apology_date_not_later",
                message:
                    "Ngày hẹn trả mới (\(newDate.iso)) phải sau ngày hẹn hiện tại (\(deadline.appointmentDate.iso)).")
        }
        guard calendar.isWorkingDay(newDate) else {
            throw DomainError(
                code: "apology_date_not_working_day",
                message: "Ngày hẹn trả mới (\(newDate.iso)) không phải ngày làm việc; hãy chọn một ngày làm việc.")
        }
        return Deadline(dueDate: deadline.dueDate, pausedSince: deadline.pausedSince, rescheduledTo: newDate)
    }

    // MARK: The acceptance clock

    /// The instant by which an online submission made at `submittedAt` should be accepted (or asked for completion,
    /// or refused): `acceptanceWorkingHours` office hours later, counting only office hours on working days.
    public func acceptanceDue(submittedAt: Date) -> Date {
        let start = VietnamTime(submittedAt)
        var remaining = acceptanceWorkingHours * 3600
        var date = start.date
        var from = start.secondsSinceMidnight
        while true {
            if calendar.isWorkingDay(date) {
                for period in workingHours.periods {
                    let begin = max(from, period.start.secondsSinceMidnight)
                    let end = period.end.secondsSinceMidnight
                    guard begin < end else { continue }
                    if end - begin >= remaining {
                        return VietnamTime.instant(on: date, secondsSinceMidnight: begin + remaining)
                    }
                    remaining -= end - begin
                }
            }
            date = date.adding(days: 1)
            from = 0
        }
    }

    /// Whether a submission made at `submittedAt` is late for acceptance at `instant`: the instant it was accepted,
    /// or now for one still waiting. Acceptance exactly at the due instant is on time.
    public func isAcceptanceLate(submittedAt: Date, at instant: Date) -> Bool {
        instant > acceptanceDue(submittedAt: submittedAt)
    }
}
