// Small text helpers the value types share; internal to Domain.

/// The decimal digits of a non-negative `value`, left-padded with zeros to `width` (`zeroPadded(7, width: 4)` is `0007`).
func zeroPadded(_ value: some BinaryInteger, width: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}

/// Whether a UTF-8 byte is an ASCII digit 0–9 (not any Unicode digit, and not a sign).
func isASCIIDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
