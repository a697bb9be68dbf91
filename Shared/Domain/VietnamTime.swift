#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Where an instant falls on Vietnam's wall clock (giờ Việt Nam, Asia/Ho_Chi_Minh): its local date and
/// the seconds since local midnight.
///
/// Vietnam keeps UTC+07:00 all year and has had no daylight saving time since 1975, so a fixed offset
/// is exact for every date this system handles and needs no time-zone database.
public struct VietnamTime: Hashable, Sendable {
    /// Vietnam's offset from UTC, in seconds (+07:00).
    public static let secondsEastOfUTC = 7 * 3600

    /// The local calendar day.
    public let date: LocalDate
    /// Whole seconds since local midnight, 0…86 399 (fractions of a second are dropped).
    public let secondsSinceMidnight: Int

    /// The wall-clock reading of `instant` in Vietnam.
    public init(_ instant: Date) {
        let local = Int(instant.timeIntervalSince1970.rounded(.down)) + Self.secondsEastOfUTC
        let (days, seconds) = local.quotientAndRemainder(dividingBy: 86_400)
        // quotientAndRemainder truncates toward zero; instants before 1970 need the floor.
        date = LocalDate(dayNumber: seconds < 0 ? days - 1 : days)
        secondsSinceMidnight = seconds < 0 ? seconds + 86_400 : seconds
    }

    /// The instant at which Vietnam's wall clock reads `secondsSinceMidnight` on `date`: the inverse of `init(_:)`.
    public static func instant(on date: LocalDate, secondsSinceMidnight: Int) -> Date {
        Date(timeIntervalSince1970: TimeInterval(date.dayNumber * 86_400 + secondsSinceMidnight - secondsEastOfUTC))
    }

    /// Whether this reading is later than `time` on the same day (16:30:00 is not after 16:30; 16:30:01 is).
    public func isAfter(_ time: TimeOfDay) -> Bool { secondsSinceMidnight > time.secondsSinceMidnight }
}
