/// Masking of personal identifiers (CCCD numbers, phone numbers) before anything is logged.
///
/// ARCHITECTURE §3: personal data is never logged in clear. A CCCD number is 12 digits starting
/// with 0; a Vietnamese mobile number is 10 digits starting with 0, or +84 and 9 digits. Such runs
/// keep their last two digits and the rest becomes `*`. Longer or shorter digit runs (event ids,
/// amounts, dossier sequence numbers) are left alone.
public enum PersonalData {
    public static func mask(_ text: String) -> String {
        var scalars = Array(text.unicodeScalars)
        var index = 0
        var changed = false
        while index < scalars.count {
            guard isDigit(scalars[index]) else {
                index += 1
                continue
            }
            var end = index
            while end < scalars.count, isDigit(scalars[end]) { end += 1 }
            let length = end - index
            let preceded = index > 0 && (isLetter(scalars[index - 1]) || scalars[index - 1] == ".")
            let plus84 = index >= 1 && scalars[index - 1] == "+" && length == 11
                && scalars[index] == "8" && scalars[index + 1] == "4"
            let leadingZero = scalars[index] == "0" && (length == 10 || length == 12)
            if !preceded && (plus84 || leadingZero) {
                for position in index..<(end - 2) { scalars[position] = "*" }
                changed = true
            }
            index = end
        }
        guard changed else { return text }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars)
        return String(result)
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.value >= 48 && scalar.value <= 57 }
    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isAlphabetic }
}
