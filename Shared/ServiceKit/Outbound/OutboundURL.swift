/// An `http://` URL an outbound request goes to: host, port and request target.
///
/// Only plain HTTP: `HTTPClient` speaks no TLS, so an `https://` URL is refused when it is parsed
/// rather than sent in clear (put a TLS-terminating proxy on the sending host to reach one).
public struct OutboundURL: Sendable, Equatable, CustomStringConvertible {
    /// A name or an IPv4 or IPv6 address (without brackets).
    public let host: String
    public let port: UInt16
    /// The path and query sent on the request line; `/` when the URL has none.
    public let target: String

    /// Parses `http://host[:port][/path][?query]`; a fragment is dropped, user info refused.
    public init(_ text: String) throws(OutboundError) {
        let lowered = text.lowercased()
        if lowered.hasPrefix("https://") {
            throw OutboundError(
                code: "https_unsupported",
                "\(text): https is not supported by this client; use http:// (or a local TLS proxy)")
        }
        guard lowered.hasPrefix("http://") else {
            throw OutboundError(code: "invalid_url", "\(text): not an http:// URL")
        }
        var rest = Substring(text.dropFirst("http://".count))
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        let target = rest[authorityEnd...]
        guard !authority.contains("@") else {
            throw OutboundError(code: "invalid_url", "\(text): user information in the URL is not supported")
        }
        guard !text.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 32 } == true }) else {
            throw OutboundError(code: "invalid_url", "\(text): contains spaces or control characters")
        }
        var host = authority
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw OutboundError(code: "invalid_url", "\(text): unclosed IPv6 address")
            }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw OutboundError(code: "invalid_url", "\(text): bad port") }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        guard !host.isEmpty else { throw OutboundError(code: "invalid_url", "\(text): no host") }
        var port: UInt16 = 80
        if let portText {
            guard let number = UInt16(portText), number > 0 else {
                throw OutboundError(code: "invalid_url", "\(text): '\(portText)' is not a TCP port")
            }
            port = number
        }
        self.host = String(host)
        self.port = port
        self.target = target.isEmpty ? "/" : target.hasPrefix("?") ? "/" + target : String(target)
    }

    /// The `Host` header's value: the host, bracketed when IPv6, and the port unless it is 80.
    public var authority: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == 80 ? name : "\(name):\(port)"
    }

    public var description: String { "http://\(authority)\(target)" }
}
