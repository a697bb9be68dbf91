/// A wall-clock time of day to the minute (giờ), such as the afternoon cut-off for receipts.
///
/// Codable as `HH:mm` (`"16:30"`), the form an admin types and the configuration table stores.
public struct TimeOfDay: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// 0…23.
    public let hour: Int
    /// 0…59.
    public let minute: Int

    /// A valid time (0…23 h, 0…59 min), or nil.
    public init?(hour: Int, minute: Int) {
        guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        self.hour = hour
        self.minute = minute
    }

    /// Parses `HH:mm` with two digits each (`16:30`, `07:05`), or nil.
    public init?(parsing text: some StringProtocol) {
        let digits = Array(text.utf8)
        guard digits.count == 5, digits[2] == UInt8(ascii: ":"),
            [0, 1, 3, 4].allSatisfy({ isASCIIDigit(digits[$0]) })
        else { return nil }
        func number(at index: Int) -> Int {
            Int(digits[index] - UInt8(ascii: "0")) * 10 + Int(digits[index + 1] - UInt8(ascii: "0"))
        }
        self.init(hour: number(at: 0), minute: number(at: 3))
    }

    /// The default afternoon cut-off (16:30, DOMAIN §3): a dossier received later counts from the next working day.
    public static let afternoonCutoff = TimeOfDay(hour: 16, minute: 30)!

    /// The cut-off of same-day procedures (15:00; Luật Hộ tịch Art. 5(3), NĐ 23/2015 Art. 7): a request received
    /// later that cannot be done at once is returned the next working day.
    public static let sameDayCutoff = TimeOfDay(hour: 15, minute: 0)!

    /// Seconds from midnight to this time.
    public var secondsSinceMidnight: Int { (hour * 60 + minute) * 60 }

    /// `HH:mm`.
    public var description: String { "\(zeroPadded(hour, width: 2)):\(zeroPadded(minute, width: 2))" }

    /// Earlier in the day first.
    public static func < (a: TimeOfDay, b: TimeOfDay) -> Bool { a.secondsSinceMidnight < b.secondsSinceMidnight }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let time = TimeOfDay(parsing: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not an HH:mm time: \(text)"))
        }
        self = time
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
