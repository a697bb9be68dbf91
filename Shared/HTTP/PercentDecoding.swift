/// Decoding of `%HH` escapes in URL paths and query strings.
enum PercentDecoding {
    /// `text` with each valid `%HH` escape replaced by its byte (and `+` by a space when
    /// `plusIsSpace`, as in query strings); malformed escapes and invalid UTF-8 are kept visible
    /// rather than rejected, since a path that cannot be decoded simply matches no route.
    static func decode(_ text: Substring, plusIsSpace: Bool) -> String {
        let encoded = Array(text.utf8)
        guard encoded.contains(where: { $0 == UInt8(ascii: "%") || (plusIsSpace && $0 == UInt8(ascii: "+")) }) else {
            return String(text)
        }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(encoded.count)
        var index = 0
        while index < encoded.count {
            let byte = encoded[index]
            if byte == UInt8(ascii: "%"), index + 2 < encoded.count,
                let high = hexValue(encoded[index + 1]), let low = hexValue(encoded[index + 2])
            {
                decoded.append(high << 4 | low)
                index += 3
                continue
            }
            decoded.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            index += 1
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
