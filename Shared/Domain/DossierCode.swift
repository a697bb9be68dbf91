/// A dossier's code (mã hồ sơ, TT 01/2018/TT-VPCP Art. 19): `<agency code>-<yymmdd>-<sequence>`,
/// e.g. `H01.40.23-260305-0007`, the 7th dossier the agency `H01.40.23` received on 5 March 2026.
///
/// The sequence counts the agency's dossiers of the day from 1 and is always written with four digits,
/// so a code reads the same on the receipt slip, in its QR code and on the national portal.
/// The year is written with two digits and means 20yy.
public struct DossierCode: Hashable, Sendable, ParsedText, LosslessStringConvertible {
    /// The receiving agency's code as used on the national portal (mã cơ quan): dot-separated segments of
    /// uppercase ASCII letters and digits, e.g. `H01.40.23`, `G22.47`, `000.00.19.H01`.
    public let agency: String
    /// The day of receipt.
    public let date: LocalDate
    /// The dossier's number among the agency's dossiers of that day, 1…9999.
    public let sequence: Int

    /// The sequences a code can carry: four digits, never 0000.
    public static let sequences = 1...9999
    /// The years `yymmdd` can name.
    public static let years = 2000...2099

    /// A code from its parts; throws `invalid_agency_code`, `invalid_dossier_date` or `invalid_dossier_sequence`.
    public init(agency: String, date: LocalDate, sequence: Int) throws {
        if let error = Self.problem(agency: agency, date: date, sequence: sequence) { throw error }
        self.agency = agency
        self.date = date
        self.sequence = sequence
    }

    /// Parses a code strictly (no spaces, no lowercase, exactly six date digits and four sequence digits);
    /// throws `invalid_dossier_code`.
    public init(parsing text: some StringProtocol) throws {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, let date = Self.date(yymmdd: parts[1]),
            parts[2].utf8.count == 4, parts[2].utf8.allSatisfy(isASCIIDigit), let sequence = Int(parts[2]),
            Self.problem(agency: parts[0], date: date, sequence: sequence) == nil
        else {
            throw DomainError(
                code: "invalid_dossier_code",
                message:
                    "Mã hồ sơ “\(text.prefix(40))” không đúng định dạng <mã cơ quan>-<yymmdd>-<số thứ tự 4 chữ số>, "
                    + "ví dụ H01.40.23-260305-0007.", kind: .malformed)
        }
        self.agency = String(parts[0])
        self.date = date
        self.sequence = sequence
    }

    /// The code as printed: `H01.40.23-260305-0007`.
    public var value: String {
        let yymmdd =
            zeroPadded(date.year % 100, width: 2) + zeroPadded(date.month, width: 2)
            + zeroPadded(date.day, width: 2)
        return "\(agency)-\(yymmdd)-\(zeroPadded(sequence, width: 4))"
    }

    /// The same as `value`.
    public var description: String { value }

    /// A code parsed from text, or nil (`LosslessStringConvertible`, for typed path parameters).
    public init?(_ description: String) {
        guard let code = try? DossierCode(parsing: description) else { return nil }
        self = code
    }

    /// What is wrong with these parts, or nil when they make a code.
    private static func problem(agency: some StringProtocol, date: LocalDate, sequence: Int) -> DomainError? {
        if !isAgencyCode(agency) {
            return DomainError(
                code: "invalid_agency_code",
                message: "Mã cơ quan “\(agency.prefix(40))” không hợp lệ: gồm các nhóm chữ in hoa và chữ số "
                    + "ngăn cách bởi dấu chấm, ví dụ H01.40.23.")
        }
        if !years.contains(date.year) {
            return DomainError(
                code: "invalid_dossier_date",
                message: "Ngày tiếp nhận \(date.iso) nằm ngoài các năm 2000–2099 mà mã hồ sơ biểu diễn được.")
        }
        if !sequences.contains(sequence) {
            return DomainError(
                code: "invalid_dossier_sequence",
                message: "Số thứ tự hồ sơ trong ngày phải từ 1 đến 9999, nhận được \(sequence).")
        }
        return nil
    }

    /// 1–6 dot-separated segments of 1–8 uppercase ASCII letters or digits, at most 32 characters in all.
    /// Whether `text` has the shape of an agency code (mã cơ quan) such as `H01.40.23`.
    public static func isAgencyCode(_ text: some StringProtocol) -> Bool {
        guard (1...32).contains(text.utf8.count) else { return false }
        let segments = text.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return (1...6).contains(segments.count)
            && segments.allSatisfy { segment in
                (1...8).contains(segment.count)
                    && segment.allSatisfy { isASCIIDigit($0) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
            }
    }

    /// The date of six digits `yymmdd` in 20yy, or nil when they are not six digits or not a real date.
    private static func date(yymmdd text: some StringProtocol) -> LocalDate? {
        let digits = Array(text.utf8)
        guard digits.count == 6, digits.allSatisfy(isASCIIDigit) else { return nil }
        func number(at index: Int) -> Int {
            Int(digits[index] - UInt8(ascii: "0")) * 10 + Int(digits[index + 1] - UInt8(ascii: "0"))
        }
        return LocalDate(year: 2000 + number(at: 0), month: number(at: 2), day: number(at: 4))
    }
}
