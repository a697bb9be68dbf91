/// The office hours of a working day (giờ làm việc), in which the acceptance clock of online submissions runs
/// (DOMAIN §2: 8 working hours). *Configurable*; the default is 07:30–11:30 and 13:00–17:00.
///
/// Codable as `[{"start": "07:30", "end": "11:30"}, …]`, checked on decoding as by `init(periods:)`.
public struct WorkingHours: Hashable, Sendable, Codable {
    /// One stretch of office hours, from `start` up to `end`.
    public struct Period: Hashable, Sendable, Codable {
        public let start: TimeOfDay
        public let end: TimeOfDay

        /// The hours from `start` to `end`; `WorkingHours(periods:)` checks that `start` is earlier.
        public init(start: TimeOfDay, end: TimeOfDay) {
            self.start = start
            self.end = end
        }
    }

    /// The periods of a day, in order, not overlapping.
    public let periods: [Period]

    /// Office hours of `periods`; throws `invalid_working_hours` (.invalid) unless there is at least one, each
    /// starts before it ends, and each ends no later than the next one starts.
    public init(periods: [Period]) throws {
        let ordered = zip(periods, periods.dropFirst()).allSatisfy { $0.end <= $1.start }
        guard !periods.isEmpty, periods.allSatisfy({ $0.start < $0.end }), ordered else {
            throw DomainError(
                code: "invalid_working_hours",
                message: "Giờ làm việc phải gồm ít nhất một khoảng, mỗi khoảng bắt đầu trước khi kết thúc "
                    + "và các khoảng theo thứ tự, không chồng lên nhau (ví dụ 07:30–11:30, 13:00–17:00).")
        }
        self.periods = periods
    }

    /// 07:30–11:30 and 13:00–17:00, the hours of most wards' one-stop shops.
    public static let standard = try! WorkingHours(periods: [
        Period(start: TimeOfDay(hour: 7, minute: 30)!, end: TimeOfDay(hour: 11, minute: 30)!),
        Period(start: TimeOfDay(hour: 13, minute: 0)!, end: TimeOfDay(hour: 17, minute: 0)!),
    ])

    public init(from decoder: any Decoder) throws {
        let periods = try decoder.singleValueContainer().decode([Period].self)
        do {
            try self.init(periods: periods)
        } catch let error as DomainError {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(periods)
    }
}
