#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What a handler answers: a status, header fields and body bytes.
///
/// The server adds `X-Request-Id` (and `Content-Length`) to every response on its way out.
public struct Response: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: Int = 200, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// `value` as JSON with sorted keys and ISO-8601 dates, so bodies are stable and diffable.
    public static func json(_ value: some Encodable, status: Int = 200) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let body = try encoder.encode(value)
        return Response(status: status, headers: ["Content-Type": "application/json"], body: Array(body))
    }

    /// Plain text (or any textual `contentType`, such as CSV or Prometheus exposition).
    public static func text(_ text: String, status: Int = 200, contentType: String = "text/plain; charset=utf-8")
        -> Response
    {
        Response(status: status, headers: ["Content-Type": contentType], body: Array(text.utf8))
    }

    /// A server-rendered HTML page.
    public static func html(_ html: String, status: Int = 200) -> Response {
        text(html, status: status, contentType: "text/html; charset=utf-8")
    }

    /// 204 with no body, for a command that has nothing to report.
    public static let noContent = Response(status: 204)
}
