import Foundation

/// A province's unit catalogue as an operator hands it in: CSV (RFC 4180 quoting, UTF-8, a
/// header line first) with the columns `code` and `name`, and optionally `province_code` (then
/// the code's first segment) and `administrative_code` (the mã ĐVHC: five digits, or empty).
///
/// The file is read whole and taken whole or not at all: every line is checked, and a file with
/// any bad line is refused with the number and fault of each. One file is one province's list.
struct UnitCatalogueFile: Sendable {
    /// The file's lines, in order.
    let units: [CatalogueUnit]
    /// The province every line is of.
    let province: String

    /// Why a file was refused: one entry per fault, each naming its line (`line 4: …`).
    struct Refusal: Error, Sendable {
        let faults: [String]
    }

    static let requiredColumns = ["code", "name"]
    static let optionalColumns = ["province_code", "administrative_code"]

    init(csv text: String) throws(Refusal) {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated()
            .map { (number: $0.offset + 1, text: $0.element) }
            .filter { !$0.text.allSatisfy(\.isWhitespace) }
        guard !lines.isEmpty else { throw Refusal(faults: ["the file is empty: a header line and one line per unit"]) }
        let headerLine = lines.removeFirst()
        let header = Self.fields(headerLine.text.drop { $0 == "\u{FEFF}" })?.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        guard let header, Self.requiredColumns.allSatisfy(header.contains),
            header.allSatisfy({ (Self.requiredColumns + Self.optionalColumns).contains($0) }),
            Set(header).count == header.count
        else {
            throw Refusal(faults: [
                "line \(headerLine.number): the header must name the columns code and name, and may name "
                    + "province_code and administrative_code, each once"
            ])
        }
        guard !lines.isEmpty else { throw Refusal(faults: ["the file lists no unit"]) }
        var faults: [String] = []
        var units: [CatalogueUnit] = []
        var seen: [String: Int] = [:]
        var province: (code: String, line: Int)?
        for line in lines {
            let fault = { (what: String) in faults.append("line \(line.number): \(what)") }
            guard let fields = Self.fields(line.text) else {
                fault("a quoted field is not closed")
                continue
            }
            guard fields.count == header.count else {
                fault("\(fields.count) fields, the header has \(header.count)")
                continue
            }
            let value = { (column: String) in
                header.firstIndex(of: column).map { fields[$0].trimmingCharacters(in: .whitespaces) }
            }
            let code = value("code") ?? ""
            let name = value("name") ?? ""
            let administrative = value("administrative_code").flatMap { $0.isEmpty ? nil : $0 }
            let codeProvince = UnitStore.province(of: code)
            let faultsBefore = faults.count
            if !UnitStore.isUnitCode(code, of: codeProvince) || !UnitStore.isProvinceCode(codeProvince) {
                fault(
                    "code “\(code.prefix(40))” is not a unit code: a province's code and two groups of two digits (H01.40.23)"
                )
            } else if let first = seen[code] {
                fault("code \(code) is already on line \(first)")
            } else if let province, province.code != codeProvince {
                fault(
                    "code \(code) is of province \(codeProvince), the file's is \(province.code) (line \(province.line)): one file is one province's list"
                )
            }
            if let given = value("province_code"), given != codeProvince {
                fault("province_code “\(given.prefix(40))” is not the first segment of code \(code.prefix(40))")
            }
            if name.isEmpty || name.count > 200
                || name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
            {
                fault("the name must be 1 to 200 characters, without control characters")
            }
            if let administrative,
                administrative.count != 5 || !administrative.allSatisfy({ $0.isASCII && $0.isNumber })
            {
                fault("administrative_code “\(administrative.prefix(40))” is not five digits")
            }
            guard faults.count == faultsBefore else { continue }
            seen[code] = line.number
            if province == nil { province = (codeProvince, line.number) }
            units.append(CatalogueUnit(code: code, name: name, administrativeCode: administrative))
        }
        guard faults.isEmpty, let province else { throw Refusal(faults: faults) }
        self.units = units
        self.province = province.code
    }

    /// The fields of one CSV line, unquoting `"…"` (a doubled `""` is a quote); nil when a quoted
    /// field is not closed on its line.
    static func fields(_ line: Substring) -> [String]? {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var afterQuote = false  // a quote inside a quoted field: it closes the field unless another follows
        for character in line {
            if afterQuote {
                afterQuote = false
                if character == "\"" {
                    field.append("\"")
                    continue
                }
                quoted = false
            }
            switch character {
            case "\"" where quoted: afterQuote = true
            case "\"" where field.isEmpty: quoted = true
            case "," where !quoted:
                fields.append(field)
                field = ""
            default: field.append(character)
            }
        }
        guard !quoted || afterQuote else { return nil }
        return fields + [field]
    }
}
