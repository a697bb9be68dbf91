/// Choice of the id that follows a request through responses and log lines.
enum RequestID {
    /// The caller's id when it is a short token (a proxy or another service set it), else a new one;
    /// anything longer or with other characters is replaced so it cannot forge log lines.
    static func accept(_ incoming: String?) -> String {
        if let incoming, (1...64).contains(incoming.utf8.count), incoming.utf8.allSatisfy(isTokenByte) {
            return incoming
        }
        return generate()
    }

    /// 16 hexadecimal digits from the system's random source.
    static func generate() -> String {
        let digits = String(UInt64.random(in: .min ... .max), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
            true
        default: false
        }
    }
}
