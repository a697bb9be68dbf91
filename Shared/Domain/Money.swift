/// An amount of money in Vietnamese đồng (VND), which has no minor unit: fees and charges (phí, lệ phí),
/// payments and refunds. Stored as PostgreSQL `bigint`, encoded in JSON as an integer.
///
/// Arithmetic traps on overflow, as `Int64` does: ±9.2 × 10^18 đồng is far beyond any amount a ward handles,
/// so reaching it is a bug, not an input. Text input goes through `init(parsing:)`, which throws instead.
public struct Money: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The amount in đồng; negative for refunds and corrections.
    public let dong: Int64

    /// An amount of `dong` đồng.
    public init(dong: Int64) { self.dong = dong }

    /// 0 đ, the start of a sum.
    public static let zero = Money(dong: 0)

    /// The sum; traps on overflow.
    public static func + (a: Money, b: Money) -> Money { Money(dong: a.dong + b.dong) }
    /// The difference, negative when `b` is larger; traps on overflow.
    public static func - (a: Money, b: Money) -> Money { Money(dong: a.dong - b.dong) }
    /// The opposite amount, e.g. a refund of a payment.
    public static prefix func - (a: Money) -> Money { Money(dong: -a.dong) }
    /// `count` times an amount, e.g. a per-copy fee times the number of copies; traps on overflow.
    public static func * (a: Money, count: Int) -> Money { Money(dong: a.dong * Int64(count)) }
    /// `count` times an amount.
    public static func * (count: Int, a: Money) -> Money { a * count }
    /// Smaller amount first; a negative amount is below zero.
    public static func < (a: Money, b: Money) -> Bool { a.dong < b.dong }

    /// Vietnamese notation: dots between thousands, a space, then `đ` — `1.250.000 đ`, `-1.250.000 đ`, `0 đ`.
    public var formatted: String {
        var groups: [String] = []
        var rest = dong.magnitude  // UInt64, so Int64.min has a magnitude too
        repeat {
            let (quotient, group) = rest.quotientAndRemainder(dividingBy: 1000)
            groups.append(quotient > 0 ? zeroPadded(group, width: 3) : String(group))
            rest = quotient
        } while rest > 0
        return (dong < 0 ? "-" : "") + groups.reversed().joined(separator: ".") + " đ"
    }

    /// The same as `formatted`.
    public var description: String { formatted }

    /// Parses `formatted` text or plain digits: `1.250.000 đ`, `1.250.000đ`, `1250000`, `-1.250.000 đ`, `0 đ`
    /// (also `₫`; surrounding spaces ignored). Dots must group by thousands; commas, decimals and other
    /// signs are refused, since `1,5` or `1.5` would be ambiguous. Throws `invalid_money`.
    public init(parsing text: some StringProtocol) throws {
        var rest = Substring(text).trimmingSpaces
        if let last = rest.last, last == "đ" || last == "₫" { rest = rest.dropLast().trimmingSpaces }
        let negative = rest.first == "-"
        if negative { rest = rest.dropFirst() }
        let groups = rest.split(separator: ".", omittingEmptySubsequences: false)
        let grouped =
            groups.count == 1
            || ((1...3).contains(groups[0].utf8.count) && groups.dropFirst().allSatisfy { $0.utf8.count == 3 })
        guard !rest.isEmpty, grouped, groups.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(isASCIIDigit) }),
            let dong = Int64((negative ? "-" : "") + groups.joined())
        else {
            throw DomainError(
                code: "invalid_money",
                message: "Số tiền “\(text.prefix(40))” không hợp lệ; ví dụ đúng: 1.250.000 đ hoặc 1250000.")
        }
        self.dong = dong
    }

    public init(from decoder: any Decoder) throws {
        dong = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(dong)
    }
}

extension Substring {
    /// Without leading and trailing whitespace (including the no-break space that copied amounts often carry).
    fileprivate var trimmingSpaces: Substring {
        var trimmed = drop(while: \.isWhitespace)
        while trimmed.last?.isWhitespace == true { trimmed = trimmed.dropLast() }
        return trimmed
    }
}
