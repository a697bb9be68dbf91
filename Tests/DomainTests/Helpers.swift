import Domain
import Foundation

/// A date from `yyyy-mm-dd`; test data only.
func day(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }

/// The instant whose UTC wall clock reads `iso` at `hour:minute:second` — tests give instants in UTC so that
/// the +07:00 conversion is part of what is tested.
func utc(_ iso: String, _ hour: Int, _ minute: Int, _ second: Int = 0) -> Date {
    Date(timeIntervalSince1970: TimeInterval(day(iso).dayNumber * 86_400 + hour * 3600 + minute * 60 + second))
}
