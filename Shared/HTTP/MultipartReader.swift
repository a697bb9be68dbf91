/// Reads a `multipart/form-data` body part by part, each part's bytes chunk by chunk, so a large
/// file part is never held in memory whole (use it on a streaming route).
///
/// ```swift
/// var reader = try request.multipartReader()
/// while let part = try await reader.nextPart() {
///     while let chunk = try await reader.nextChunk() { try file.write(chunk) }
/// }
/// ```
/// A malformed body is a 400 `malformed_multipart` problem.
public struct MultipartReader {
    private var source: RequestBodyStream.Iterator
    private let delimiter: [UInt8]
    /// Bytes read and not yet handed out; starts with CRLF so the first boundary looks like the rest.
    private var buffer: [UInt8] = Array("\r\n".utf8)
    private var sourceEnded = false
    /// True while the bytes before the next delimiter belong to the current part (or the preamble).
    private var inPart = true
    private var finished = false

    /// The longest header block a part may have.
    static let maximumHeaderSize = 16 * 1024

    /// A reader of `body` with the boundary from the `Content-Type` value.
    public init(body: RequestBodyStream, boundary: String) {
        source = body.makeAsyncIterator()
        delimiter = Array("\r\n--\(boundary)".utf8)
    }

    /// The next part's header (skipping whatever of the current part was not read), or nil after
    /// the last one.
    public mutating func nextPart() async throws -> MultipartPartHead? {
        while try await nextChunk() != nil {}
        guard !finished else { return nil }
        // The buffer starts with the delimiter; then "--" (the end) or the rest of the line and headers.
        try await fill(atLeast: delimiter.count + 2)
        if buffer[delimiter.count..<delimiter.count + 2].elementsEqual("--".utf8) {
            finished = true
            return nil
        }
        let lineBreak = Array("\r\n".utf8)
        let blankLine = Array("\r\n\r\n".utf8)
        var headers: (start: Int, end: Int)?
        while headers == nil {
            if let lineEnd = Self.find(lineBreak, in: buffer, from: delimiter.count),
                let end = Self.find(blankLine, in: buffer, from: lineEnd)
            {
                headers = (min(lineEnd + lineBreak.count, end), end)
            } else {
                guard buffer.count <= Self.maximumHeaderSize, !sourceEnded else { throw Self.malformed }
                try await readMore()
            }
        }
        let (start, end) = headers!
        let block = String(decoding: buffer[start..<end], as: UTF8.self)
        buffer.removeFirst(end + blankLine.count)
        inPart = true
        return try MultipartPartHead(headerLines: block.split(separator: "\r\n").map(String.init))
    }

    /// The next bytes of the current part, or nil at its end.
    public mutating func nextChunk() async throws -> [UInt8]? {
        guard inPart else { return nil }
        while true {
            if let index = Self.find(delimiter, in: buffer, from: 0) {
                inPart = false
                guard index > 0 else { return nil }
                defer { buffer.removeFirst(index) }
                return Array(buffer[..<index])
            }
            // All but a possible start of the delimiter can be handed out.
            let safe = buffer.count - (delimiter.count - 1)
            if safe > 0 {
                defer { buffer.removeFirst(safe) }
                return Array(buffer[..<safe])
            }
            guard !sourceEnded else { throw Self.malformed }
            try await readMore()
        }
    }

    /// The rest of the current part's bytes, gathered.
    mutating func collectPart() async throws -> [UInt8] {
        var bytes: [UInt8] = []
        while let chunk = try await nextChunk() { bytes += chunk }
        return bytes
    }

    private mutating func fill(atLeast count: Int) async throws {
        while buffer.count < count {
            guard !sourceEnded else { throw Self.malformed }
            try await readMore()
        }
    }

    private mutating func readMore() async throws {
        if let chunk = try await source.next() {
            buffer += chunk
        } else {
            sourceEnded = true
        }
    }

    /// The first index at or after `start` where `pattern` begins in `bytes`.
    private static func find(_ pattern: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard let first = pattern.first, bytes.count >= pattern.count else { return nil }
        var index = start
        let last = bytes.count - pattern.count
        while index <= last {
            guard let candidate = bytes[index...last].firstIndex(of: first) else { return nil }
            if bytes[candidate..<candidate + pattern.count].elementsEqual(pattern) { return candidate }
            index = candidate + 1
        }
        return nil
    }

    static let malformed = ProblemError.badRequest(
        code: "malformed_multipart", detail: "Nội dung tải lên (multipart/form-data) không đúng định dạng.")
}

extension Request {
    /// A reader of this request's `multipart/form-data` body, from `bodyStream`; 415 for any other
    /// Content-Type, 400 when the boundary is missing.
    public func multipartReader() throws(ProblemError) -> MultipartReader {
        guard let contentType = headers["Content-Type"], Self.mediaType(contentType) == "multipart/form-data" else {
            throw ProblemError.unsupportedMediaType(headers["Content-Type"] ?? "không khai báo")
        }
        let boundary = MultipartPartHead.parameters(of: contentType)["boundary"]
        guard let boundary, !boundary.isEmpty, boundary.utf8.count <= 70 else { throw MultipartReader.malformed }
        return MultipartReader(body: bodyStream, boundary: boundary)
    }

    /// Every part of a small `multipart/form-data` body, each held in memory (the route's body
    /// limit bounds them); use `multipartReader()` on a streaming route for large files.
    public func multipart() async throws -> [MultipartPart] {
        var reader = try multipartReader()
        var parts: [MultipartPart] = []
        while let head = try await reader.nextPart() {
            parts.append(MultipartPart(head: head, body: try await reader.collectPart()))
        }
        return parts
    }
}
