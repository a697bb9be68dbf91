import Domain
import Foundation
import Postgres
import ServiceKit
import Synchronization

/// The deadline clock over the `working_calendar` table (DOMAIN §3: the calendar is data an admin
/// edits), read again at most once a minute so an edit takes effect without a restart.
final class CalendarCache: Sendable {
    private let cached = Mutex<(clock: DossierClock, loadedAt: ContinuousClock.Instant)?>(nil)
    private let lifetime = Duration.seconds(60)

    /// The current clock, read from `tx` when the cached one is older than a minute.
    func clock(in tx: ScopedTransaction) async throws -> DossierClock {
        if let (clock, loadedAt) = cached.withLock({ $0 }), ContinuousClock.now - loadedAt < lifetime { return clock }
        let entries = try await tx.query("SELECT day, kind, name, provisional FROM working_calendar ORDER BY day").map {
            row in
            let (day, kind, name, provisional) = try row.decode(LocalDate.self, String.self, String.self, Bool.self)
            guard let kind = CalendarEntry.Kind(rawValue: kind) else {
                throw PostgresError(kind: .decoding, message: "working_calendar.kind '\(kind)' is not a known kind")
            }
            return CalendarEntry(date: day, kind: kind, name: name, provisional: provisional)
        }
        let years = entries.map(\.date.year)
        let clock = DossierClock(
            calendar: try WorkingCalendar(entries: entries, coveredYears: (years.min() ?? 2025)...(years.max() ?? 2025))
        )
        cached.withLock { $0 = (clock, .now) }
        return clock
    }
}
