import Domain
import Foundation
import Testing

@Suite struct TimeOfDayTests {
    @Test func parsesAndPrintsHoursAndMinutes() {
        #expect(TimeOfDay(parsing: "16:30") == TimeOfDay.afternoonCutoff)
        #expect(TimeOfDay(parsing: "07:05")?.description == "07:05")
        #expect(TimeOfDay(parsing: "00:00")?.secondsSinceMidnight == 0)
        #expect(TimeOfDay(parsing: "23:59")?.secondsSinceMidnight == 86_340)
    }

    @Test(arguments: ["24:00", "12:60", "7:05", "07:5", "0705", "07-05", "+7:05", "", "16:30:00"])
    func rejectsAnythingButHHmm(_ text: String) {
        #expect(TimeOfDay(parsing: text) == nil)
    }

    @Test func ordersByTimeOfDay() {
        #expect(TimeOfDay(hour: 9, minute: 59)! < TimeOfDay(hour: 10, minute: 0)!)
    }

    @Test func encodesAsHHmm() throws {
        let json = String(decoding: try JSONEncoder().encode([TimeOfDay.afternoonCutoff]), as: UTF8.self)
        #expect(json == #"["16:30"]"#)
        #expect(try JSONDecoder().decode([TimeOfDay].self, from: Data(json.utf8)) == [.afternoonCutoff])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([TimeOfDay].self, from: Data(#"["4pm"]"#.utf8)) }
    }
}

@Suite struct VietnamTimeTests {
    @Test func readsTheWallClockSevenHoursAheadOfUTC() {
        let local = VietnamTime(utc("2026-03-09", 9, 30, 15))
        #expect(local.date == day("2026-03-09"))
        #expect(local.secondsSinceMidnight == (16 * 60 + 30) * 60 + 15)
    }

    @Test func crossesMidnightAtSeventeenHundredUTC() {
        #expect(VietnamTime(utc("2025-12-31", 16, 59, 59)).date == day("2025-12-31"))
        #expect(VietnamTime(utc("2025-12-31", 17, 0)).date == day("2026-01-01"))
        #expect(VietnamTime(utc("2025-12-31", 17, 0)).secondsSinceMidnight == 0)
    }

    @Test func handlesInstantsBefore1970() {
        let local = VietnamTime(utc("1969-12-31", 16, 0))
        #expect(local.date == day("1969-12-31"))
        #expect(local.secondsSinceMidnight == 23 * 3600)
    }

    @Test func dropsFractionsOfASecond() {
        let instant = utc("2026-03-09", 9, 30).addingTimeInterval(0.9)
        #expect(!VietnamTime(instant).isAfter(.afternoonCutoff))
        #expect(VietnamTime(utc("2026-03-09", 9, 30, 1)).isAfter(.afternoonCutoff))
    }
}
