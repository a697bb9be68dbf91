/// A Vietnamese mobile number (số điện thoại di động), kept in its national form `0xxxxxxxxx`: the contact a
/// citizen is told of each status change on, and whose last four digits prove a public lookup.
///
/// Accepted input: ten digits starting with a mobile prefix (`0912345678`), or the international forms
/// `+84912345678` and `84912345678`; spaces, dots and hyphens between digits are ignored (`0912 345 678`,
/// `+84 91-234-5678`). `description` masks the number, so that interpolating it never leaks it whole.
public struct PhoneNumber: Hashable, Sendable, ParsedText, CustomStringConvertible {
    /// The ten digits, starting with 0.
    public let value: String

    /// The three-digit mobile prefixes in use since the 2018 move from 11 to 10 digits (Bộ TT&TT): Viettel 032–039,
    /// 086, 096–098; VinaPhone 081–085, 088, 091, 094; MobiFone 070, 076–079, 089, 090, 093; Vietnamobile 052, 056,
    /// 058, 092; Gmobile 059, 099; Reddi 055; iTel 087. A prefix assigned later must be added here.
    public static let mobilePrefixes: Set<String> = [
        "032", "033", "034", "035", "036", "037", "038", "039",
        "052", "055", "056", "058", "059",
        "070", "076", "077", "078", "079",
        "081", "082", "083", "084", "085", "086", "087", "088", "089",
        "090", "091", "092", "093", "094", "096", "097", "098", "099",
    ]

    /// The number in national form; throws `invalid_phone` (.invalid) with a message that never repeats the number.
    public init(parsing text: some StringProtocol) throws {
        var digits = Substring(text).filter { !$0.isWhitespace && $0 != "." && $0 != "-" }[...]
        if digits.hasPrefix("+84") {
            digits = "0" + digits.dropFirst(3)
        } else if digits.hasPrefix("84"), digits.utf8.count == 11 {
            digits = "0" + digits.dropFirst(2)
        }
        guard digits.utf8.count == 10, digits.utf8.allSatisfy(isASCIIDigit),
            Self.mobilePrefixes.contains(String(digits.prefix(3)))
        else {
            throw DomainError(
                code: "invalid_phone",
                message: "Số điện thoại di động phải gồm 10 chữ số, bắt đầu bằng đầu số di động 03, 05, 07, 08 "
                    + "hoặc 09 (ví dụ 0912 345 678, hoặc dạng +84 912 345 678).")
        }
        value = String(digits)
    }

    /// The last `count` digits (`lastDigits(4)` is `5678`), which the public lookup asks for as proof.
    public func lastDigits(_ count: Int) -> String { String(value.suffix(count)) }

    /// Whether `digits` are this number's last digits, at least four of them: the public lookup's check.
    public func endsWith(_ digits: some StringProtocol) -> Bool {
        digits.utf8.count >= 4 && digits.utf8.allSatisfy(isASCIIDigit) && value.hasSuffix(digits)
    }

    /// The first three and last three digits with the rest hidden (`091••••678`).
    public var masked: String {
        String(value.prefix(3)) + String(repeating: "•", count: 4) + String(value.suffix(3))
    }

    /// The same as `masked`, so that string interpolation never shows the whole number.
    public var description: String { masked }

}
