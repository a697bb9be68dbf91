extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (header values, cookie pairs).
    var trimmingBlanks: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

extension String {
    /// The text without one pair of surrounding double quotes (a quoted header parameter or cookie).
    var unquoted: String {
        count >= 2 && hasPrefix("\"") && hasSuffix("\"") ? String(dropFirst().dropLast()) : self
    }
}
