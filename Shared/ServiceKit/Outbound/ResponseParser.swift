import HTTP

/// Reads an HTTP/1.1 response from the bytes of a connection as they arrive: the status line and
/// header fields, then the body framed by `Transfer-Encoding: chunked`, by `Content-Length`, or by
/// the end of the connection. Interim 1xx responses are skipped; at most `limit` bytes are kept.
struct ResponseParser {
    private let limit: Int
    private let bodiless: Bool
    private var buffer: [UInt8] = []
    private var head: (status: Int, headers: HTTPHeaders, framing: Framing)?

    private enum Framing {
        case none
        case length(Int)
        case chunked
        case untilClose
    }

    /// A parser of the response to a request; `bodiless` for the answer to a HEAD request.
    init(limit: Int, bodiless: Bool = false) {
        self.limit = limit
        self.bodiless = bodiless
    }

    /// Takes the next bytes; returns the response once it is complete.
    mutating func feed(_ bytes: some Collection<UInt8>) throws(OutboundError) -> OutboundResponse? {
        buffer.append(contentsOf: bytes)
        guard buffer.count <= limit else {
            throw OutboundError(code: "response_too_large", "the response is longer than \(limit) bytes")
        }
        return try complete(atEnd: false)
    }

    /// The connection ended: the response read so far if it is whole (or framed by the end).
    mutating func finish() throws(OutboundError) -> OutboundResponse {
        if let response = try complete(atEnd: true) { return response }
        throw OutboundError(
            code: "malformed_response",
            head == nil
                ? "the connection closed before a whole status line and header"
                : "the connection closed before the whole body")
    }

    private mutating func complete(atEnd: Bool) throws(OutboundError) -> OutboundResponse? {
        while head == nil {
            guard let end = Self.find([13, 10, 13, 10], in: buffer[...]) else { return nil }
            let parsed = try parseHead(buffer[..<end])
            buffer.removeSubrange(..<(end + 4))
            if (100..<200).contains(parsed.status) { continue }
            head = parsed
        }
        guard let head else { return nil }
        let body: [UInt8]
        switch head.framing {
        case .none:
            body = []
        case .length(let length):
            guard buffer.count >= length else { return nil }
            body = Array(buffer[..<length])
        case .chunked:
            guard let decoded = try Self.dechunk(buffer[...]) else { return nil }
            body = decoded
        case .untilClose:
            guard atEnd else { return nil }
            body = buffer
        }
        return OutboundResponse(status: head.status, headers: head.headers, body: body)
    }

    private func parseHead(_ bytes: ArraySlice<UInt8>) throws(OutboundError) -> (
        status: Int, headers: HTTPHeaders, framing: Framing
    ) {
        let text = String(decoding: bytes, as: UTF8.self)
        // "\r\n" is one Character in Swift: split on newline characters, not on "\n".
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        let statusLine = lines.removeFirst()
        let words = statusLine.split(separator: " ", maxSplits: 2)
        guard words.count >= 2, words[0].hasPrefix("HTTP/1."), words[1].count == 3, let status = Int(words[1]) else {
            throw OutboundError(code: "malformed_response", "not an HTTP/1.x status line: '\(statusLine.prefix(80))'")
        }
        var headers = HTTPHeaders()
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else {
                throw OutboundError(code: "malformed_response", "a header line without a colon: '\(line.prefix(80))'")
            }
            headers.add(String(line[..<colon]), line[line.index(after: colon)...].trimmingSpaces())
        }
        let framing: Framing
        if bodiless || status == 204 || status == 304 || (100..<200).contains(status) {
            framing = .none
        } else if let encoding = headers["Transfer-Encoding"], encoding.lowercased().contains("chunked") {
            framing = .chunked
        } else if let lengthText = headers["Content-Length"] {
            guard let length = Int(lengthText), length >= 0 else {
                throw OutboundError(code: "malformed_response", "Content-Length '\(lengthText)' is not a length")
            }
            guard length <= limit else {
                throw OutboundError(code: "response_too_large", "the response body of \(length) bytes is over \(limit)")
            }
            framing = .length(length)
        } else {
            framing = .untilClose
        }
        return (status, headers, framing)
    }

    /// The body of a chunked message, or nil while it is incomplete.
    private static func dechunk(_ bytes: ArraySlice<UInt8>) throws(OutboundError) -> [UInt8]? {
        var body: [UInt8] = []
        var position = bytes.startIndex
        while true {
            guard let lineEnd = find([13, 10], in: bytes[position...]) else { return nil }
            let sizeText =
                String(decoding: bytes[position..<lineEnd], as: UTF8.self)
                .split(separator: ";", maxSplits: 1).first.map { $0.trimmingSpaces() } ?? ""
            guard let size = Int(sizeText, radix: 16), size >= 0 else {
                throw OutboundError(code: "malformed_response", "bad chunk size '\(sizeText.prefix(20))'")
            }
            position = lineEnd + 2
            if size == 0 {
                // Trailer fields, if any, end with an empty line.
                while true {
                    guard let end = find([13, 10], in: bytes[position...]) else { return nil }
                    if end == position { return body }
                    position = end + 2
                }
            }
            guard bytes.endIndex - position >= size + 2 else { return nil }
            body.append(contentsOf: bytes[position..<(position + size)])
            guard bytes[position + size] == 13, bytes[position + size + 1] == 10 else {
                throw OutboundError(code: "malformed_response", "a chunk is not followed by CRLF")
            }
            position += size + 2
        }
    }

    /// The index where `pattern` first starts in `bytes`.
    static func find(_ pattern: [UInt8], in bytes: ArraySlice<UInt8>) -> Int? {
        guard bytes.count >= pattern.count else { return nil }
        var index = bytes.startIndex
        while index <= bytes.endIndex - pattern.count {
            if bytes[index] == pattern[0], bytes[index..<(index + pattern.count)].elementsEqual(pattern) {
                return index
            }
            index += 1
        }
        return nil
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (HTTP's optional whitespace).
    fileprivate func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
