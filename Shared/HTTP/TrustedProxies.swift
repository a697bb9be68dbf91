import Glibc

/// The proxies whose `X-Forwarded-For` the server believes (the front door): addresses and CIDR
/// ranges, IPv4 or IPv6. A client's address is read from the header only when the connection comes
/// from one of them, so no one else can choose the address their limits and lockouts count against.
///
/// Empty (the default) believes no one: the client is the connection's peer.
public struct TrustedProxies: Sendable, Equatable {
    private let ranges: [AddressRange]

    /// No proxy is trusted.
    public static let none = TrustedProxies(ranges: [])

    private init(ranges: [AddressRange]) { self.ranges = ranges }

    /// Reads a comma-separated list such as `127.0.0.1,::1,10.0.0.0/8` (blanks around entries are
    /// ignored; an empty list trusts no one); nil when an entry is not an address or a range.
    public init?(_ list: String) {
        var ranges: [AddressRange] = []
        for entry in list.split(separator: ",").map(\.trimmingBlanks) where !entry.isEmpty {
            guard let range = AddressRange(entry) else { return nil }
            ranges.append(range)
        }
        self.ranges = ranges
    }

    /// The client's address of a request from `peer` whose `X-Forwarded-For` field values are
    /// `forwardedFor` (in order): the peer unless it is trusted; else, reading the forwarded
    /// addresses from the right (the nearest hop first), the first that is not itself a trusted
    /// proxy — the leftmost when all are. An entry that is not an address ends the reading at the
    /// hop that forwarded it: what lies to its left was written by no one the server trusts.
    public func clientAddress(peer: String?, forwardedFor: [String]) -> String? {
        guard !ranges.isEmpty, let peer, var client = IPAddress(peer), trusts(client) else { return peer }
        for entry in forwardedFor.flatMap({ $0.split(separator: ",") }).reversed() {
            guard let hop = IPAddress(entry.trimmingBlanks) else { break }
            client = hop
            if !trusts(hop) { break }
        }
        return client.text
    }

    private func trusts(_ address: IPAddress) -> Bool {
        ranges.contains { $0.contains(address) }
    }
}

/// An IPv4 or IPv6 address as 16 bytes (IPv4 mapped into IPv6, `::ffff:a.b.c.d`) and its usual text.
private struct IPAddress: Equatable {
    let bytes: [UInt8]
    let text: String

    init?(_ text: String) {
        var ipv4 = in_addr()
        if inet_pton(AF_INET, text, &ipv4) == 1 {
            let octets = withUnsafeBytes(of: ipv4) { Array($0) }
            bytes = [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF] + octets
            self.text = octets.map(String.init).joined(separator: ".")
            return
        }
        var ipv6 = in6_addr()
        guard inet_pton(AF_INET6, text, &ipv6) == 1 else { return nil }
        bytes = withUnsafeBytes(of: ipv6) { Array($0) }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &ipv6, &buffer, socklen_t(buffer.count)) != nil else { return nil }
        self.text = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// True for an IPv4 address (mapped).
    var isIPv4: Bool { bytes.prefix(12) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] }
}

/// An address, or a CIDR range such as `10.0.0.0/8` or `fd00::/8`.
private struct AddressRange: Equatable {
    let base: IPAddress
    /// Leading bits that must match, of the 128 of the mapped form.
    let prefix: Int

    init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let base = IPAddress(String(parts[0])) else { return nil }
        let width = base.isIPv4 ? 32 : 128
        var bits = width
        if parts.count == 2 {
            guard let given = Int(parts[1]), (0...width).contains(given) else { return nil }
            bits = given
        }
        self.base = base
        prefix = bits + (128 - width)
    }

    func contains(_ address: IPAddress) -> Bool {
        for index in 0..<16 {
            let bits = min(8, max(0, prefix - index * 8))
            let mask = bits == 0 ? UInt8(0) : UInt8(0xFF) << (8 - bits)
            if address.bytes[index] & mask != base.bytes[index] & mask { return false }
        }
        return true
    }
}
