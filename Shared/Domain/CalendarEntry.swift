/// One exception to the Monday–Friday week in the working calendar (lịch làm việc): a day off on
/// what would be a working day, or a working Saturday.
///
/// Entries are data, one row of table `working_calendar`, because lunar dates and the yearly swaps are
/// decided each year (DOMAIN §3); an admin edits them.
public struct CalendarEntry: Hashable, Sendable, Codable {
    /// What the day is.
    public enum Kind: String, Hashable, Sendable, Codable {
        /// A public holiday (ngày lễ, Tết), a day off given in its place (nghỉ bù) or a day off swapped with a
        /// Saturday (hoán đổi): not a working day even on a weekday.
        case holiday
        /// An official make-up working day (ngày làm bù): a Saturday or Sunday worked in exchange for a day off.
        case makeUpWorkingDay = "make_up_working_day"
    }

    /// The day the entry is about.
    public let date: LocalDate
    /// Day off or make-up working day.
    public let kind: Kind
    /// The Vietnamese name shown to staff, e.g. `Tết Nguyên đán Bính Ngọ`, `Làm bù cho thứ Sáu 02/01/2026`.
    public let name: String
    /// True while no official notice for the year confirms the entry (derived from the law and precedent);
    /// callers may warn that dates computed across it can change.
    public let provisional: Bool

    /// An entry; `provisional` defaults to false, a day confirmed by an official notice.
    public init(date: LocalDate, kind: Kind, name: String, provisional: Bool = false) {
        self.date = date
        self.kind = kind
        self.name = name
        self.provisional = provisional
    }
}
