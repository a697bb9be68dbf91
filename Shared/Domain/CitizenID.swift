/// A citizen's identity number (số định danh cá nhân, printed on the căn cước / CCCD card): 12 digits whose
/// structure (Nghị định 137/2015, Thông tư 07/2016/TT-BCA) encodes where the birth was registered, the century and
/// sex, and the year of birth; the last six digits are a serial.
///
/// `CitizenID(parsing:)` checks the structure only: a number can be well-formed and still belong to nobody.
/// `description` masks the number, so that interpolating it into a log or a message never leaks it whole.
public struct CitizenID: Hashable, Sendable, ParsedText, CustomStringConvertible {
    /// The twelve digits.
    public let value: String

    /// Sex as the fourth digit encodes it.
    public enum Sex: String, Codable, Sendable {
        case male
        case female
    }

    /// The 63 provinces (pre-2025 boundaries) whose codes open identity numbers, keyed by the three-digit code
    /// (mã tỉnh, the province's code in the list of administrative units): `001` Hà Nội … `096` Cà Mau. Numbers
    /// keep their code after the 2025 merger of provinces.
    public static let provinces: [String: String] = [
        "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn", "008": "Tuyên Quang",
        "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu", "014": "Sơn La", "015": "Yên Bái",
        "017": "Hòa Bình", "019": "Thái Nguyên", "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang",
        "025": "Phú Thọ", "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
        "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định", "037": "Ninh Bình",
        "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh", "044": "Quảng Bình", "045": "Quảng Trị",
        "046": "Thừa Thiên Huế", "048": "Đà Nẵng", "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định",
        "054": "Phú Yên", "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
        "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng", "070": "Bình Phước",
        "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai", "077": "Bà Rịa - Vũng Tàu",
        "079": "Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang", "083": "Bến Tre", "084": "Trà Vinh",
        "086": "Vĩnh Long", "087": "Đồng Tháp", "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ",
        "093": "Hậu Giang", "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
    ]

    /// Parses twelve ASCII digits (surrounding whitespace ignored) and checks the province code; the fourth digit
    /// and the year need no check, as every value means something. Throws `invalid_cccd` (.invalid) with a
    /// Vietnamese message that never repeats the number.
    public init(parsing text: some StringProtocol) throws {
        var trimmed = Substring(text).drop(while: \.isWhitespace)
        while trimmed.last?.isWhitespace == true { trimmed = trimmed.dropLast() }
        guard trimmed.utf8.count == 12, trimmed.utf8.allSatisfy(isASCIIDigit) else {
            throw Self.invalid("Số CCCD phải gồm đúng 12 chữ số.")
        }
        guard Self.provinces[String(trimmed.prefix(3))] != nil else {
            throw Self.invalid(
                "Ba chữ số đầu của số CCCD phải là mã tỉnh nơi đăng ký khai sinh (001 Hà Nội … 096 Cà Mau); "
                    + "mã “\(trimmed.prefix(3))” không có trong danh sách.")
        }
        value = String(trimmed)
    }

    /// The three-digit province code (`001`).
    public var provinceCode: String { String(value.prefix(3)) }
    /// The province where the birth was registered (`Hà Nội`).
    public var provinceName: String { Self.provinces[provinceCode]! }

    /// Sex from the fourth digit: even male, odd female.
    public var sex: Sex { digit(3) % 2 == 0 ? .male : .female }

    /// The year of birth: the century from the fourth digit (0–1 → 1900s, 2–3 → 2000s, 4–5 → 2100s,
    /// 6–7 → 2200s, 8–9 → 1800s) plus the fifth and sixth digits.
    public var birthYear: Int {
        let century = [1900, 2000, 2100, 2200, 1800][digit(3) / 2]
        return century + digit(4) * 10 + digit(5)
    }

    /// The first three and last two digits with the rest hidden (`001•••••••45`), for logs and screens that
    /// only need to tell numbers apart.
    public var masked: String {
        String(value.prefix(3)) + String(repeating: "•", count: 7) + String(value.suffix(2))
    }

    /// The same as `masked`, so that string interpolation never shows the whole number.
    public var description: String { masked }

    private func digit(_ index: Int) -> Int {
        Int(value.utf8[value.utf8.index(value.utf8.startIndex, offsetBy: index)] - UInt8(ascii: "0"))
    }

    private static func invalid(_ message: String) -> DomainError {
        DomainError(code: "invalid_cccd", message: message)
    }
}
