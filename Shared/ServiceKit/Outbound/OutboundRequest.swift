import HTTP

/// A request `HTTPClient` sends: method, URL, header fields and the whole body.
///
/// `Host`, `Content-Length` and `Connection: close` are the client's; fields given here with those
/// names are ignored.
public struct OutboundRequest: Sendable {
    public var method: String
    public var url: OutboundURL
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(method: String = "POST", url: OutboundURL, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The request's bytes as they go on the wire; a header name or value that could split the
    /// request (CR, LF, or a colon in a name) is refused.
    func serialized() throws(OutboundError) -> [UInt8] {
        let reserved: Set<String> = ["host", "content-length", "connection", "transfer-encoding"]
        guard !method.isEmpty, method.allSatisfy({ $0.isLetter && $0.isASCII }) else {
            throw OutboundError(code: "invalid_header", "'\(method)' is not an HTTP method")
        }
        var head = "\(method) \(url.target) HTTP/1.1\r\nHost: \(url.authority)\r\n"
        for (name, value) in headers where !reserved.contains(name.lowercased()) {
            guard !name.isEmpty, !name.contains(where: { $0 == ":" || $0.isWhitespace || $0.isNewline }),
                !value.contains(where: \.isNewline)
            else {
                throw OutboundError(code: "invalid_header", "header '\(name)' has a name or value that is not allowed")
            }
            head += "\(name): \(value)\r\n"
        }
        head += "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        return Array(head.utf8) + body
    }
}
