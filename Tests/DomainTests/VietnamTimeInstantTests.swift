import Domain
import Foundation
import Testing

extension VietnamTimeTests {
    @Test func anInstantIsMadeFromAVietnameseDayAndTimeAndReadsBackTheSame() {
        let instant = VietnamTime.instant(on: day("2026-03-09"), secondsSinceMidnight: 10 * 3600 + 30 * 60 + 5)
        #expect(instant == utc("2026-03-09", 3, 30, 5))
        #expect(VietnamTime(instant) == VietnamTime(utc("2026-03-09", 3, 30, 5)))
        #expect(VietnamTime.instant(on: day("2026-01-01"), secondsSinceMidnight: 0) == utc("2025-12-31", 17, 0))
    }
}
