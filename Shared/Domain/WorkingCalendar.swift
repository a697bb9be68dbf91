#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Which days are working days (ngày làm việc) for the ward's civil servants, and the deadlines counted in them.
///
/// Monday–Friday are working days, Saturday and Sunday are not; the entries override that: a holiday is off
/// even on a weekday, a make-up working day is worked even on a Saturday. The entries cover the years in
/// `coveredYears`; outside them the calendar still answers by the weekday rule alone, and `covers(year:)`
/// lets a caller warn that holidays are unknown there.
///
/// Counting convention, used by every function here: a period of `n` working days after day `d` ends on the
/// `n`-th working day strictly after `d` — the day of receipt itself is not counted, as a dossier received on
/// Monday with one day of processing is due on Tuesday. A start on a non-working day first moves to the next
/// working day, as if the dossier had been received there.
public struct WorkingCalendar: Sendable {
    /// The entries, sorted by date.
    public let entries: [CalendarEntry]
    /// The years whose holidays and make-up days the entries list.
    public let coveredYears: ClosedRange<Int>
    private let kinds: [LocalDate: CalendarEntry.Kind]

    /// A calendar of `entries` covering `coveredYears`.
    ///
    /// Throws `duplicate_calendar_date` when two entries share a date and `make_up_day_not_weekend` when a
    /// make-up working day falls on a weekday (it would change nothing, so it is a typing mistake).
    /// Entries may lie outside `coveredYears` (a swap can put its make-up day in the previous December).
    public init(entries: [CalendarEntry], coveredYears: ClosedRange<Int>) throws {
        var kinds: [LocalDate: CalendarEntry.Kind] = [:]
        for entry in entries {
            guard kinds.updateValue(entry.kind, forKey: entry.date) == nil else {
                throw DomainError(
                    code: "duplicate_calendar_date",
                    message: "Ngày \(entry.date.iso) có hai dòng trong lịch làm việc; mỗi ngày chỉ được một dòng.")
            }
            if entry.kind == .makeUpWorkingDay, !entry.date.isWeekend {
                throw DomainError(
                    code: "make_up_day_not_weekend",
                    message: "Ngày làm bù \(entry.date.iso) rơi vào ngày làm việc bình thường; "
                        + "ngày làm bù phải là thứ Bảy hoặc Chủ nhật.")
            }
        }
        self.entries = entries.sorted { $0.date < $1.date }
        self.coveredYears = coveredYears
        self.kinds = kinds
    }

    /// Whether the entries list the holidays of `year`; beyond them only weekends are known to be days off.
    public func covers(year: Int) -> Bool { coveredYears.contains(year) }

    /// Whether `date` is a working day: a weekday that is not a holiday, or a make-up working day.
    public func isWorkingDay(_ date: LocalDate) -> Bool {
        switch kinds[date] {
        case .holiday: false
        case .makeUpWorkingDay: true
        case nil: !date.isWeekend
        }
    }

    /// `date` when it is a working day, else the first working day after it.
    public func nextWorkingDay(onOrAfter date: LocalDate) -> LocalDate {
        var day = date
        while !isWorkingDay(day) { day = day.adding(days: 1) }
        return day
    }

    /// The `n`-th working day after `date` (n ≥ 0), `date` itself not counted; a non-working `date` first moves to
    /// the next working day. So `n == 0` gives `nextWorkingDay(onOrAfter: date)`, the day processing starts.
    public func addWorkingDays(_ n: Int, to date: LocalDate) -> LocalDate {
        precondition(n >= 0, "a number of working days cannot be negative")
        var day = nextWorkingDay(onOrAfter: date)
        for _ in 0..<n { day = nextWorkingDay(onOrAfter: day.adding(days: 1)) }
        return day
    }

    /// The working days after `a` up to and including `b` (start excluded, end included), negative when `b`
    /// is before `a`: for a working day `d`, `workingDaysBetween(d, addWorkingDays(n, to: d)) == n`.
    ///
    /// Read `workingDaysBetween(appointment, today)` as "working days late" (negative: days left).
    public func workingDaysBetween(_ a: LocalDate, _ b: LocalDate) -> Int {
        if b < a { return -workingDaysBetween(b, a) }
        var count = 0
        var day = a
        while day < b {
            day = day.adding(days: 1)
            if isWorkingDay(day) { count += 1 }
        }
        return count
    }

    /// The working day from which processing counts for a dossier received at `instant`: its day in Vietnam,
    /// or the next day when received after `cutoff`, moved on to a working day.
    public func receiptDay(for instant: Date, cutoff: TimeOfDay = .afternoonCutoff) -> LocalDate {
        let local = VietnamTime(instant)
        return nextWorkingDay(onOrAfter: local.isAfter(cutoff) ? local.date.adding(days: 1) : local.date)
    }

    /// The appointment date (ngày hẹn trả kết quả, DOMAIN §3): `processingDays` working days after the receipt day.
    public func appointmentDate(
        receivedAt instant: Date, processingDays: Int, cutoff: TimeOfDay = .afternoonCutoff
    ) -> LocalDate {
        addWorkingDays(processingDays, to: receiptDay(for: instant, cutoff: cutoff))
    }
}
