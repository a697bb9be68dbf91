#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One HTTP request as a handler sees it.
///
/// On a buffered route (the default) `body` holds the whole body; on a streaming route `body` is
/// empty and the handler reads `bodyStream` instead.
public struct Request: Sendable {
    /// The method as sent, for example `GET`.
    public let method: String
    /// The percent-decoded path without the query string, for example `/dossiers/H01.22-0001`.
    public let path: String
    /// The decoded query string.
    public let query: QueryParameters
    /// The request's header fields.
    public let headers: HTTPHeaders
    /// The body bytes (empty when there is none, and on a streaming route).
    public let body: [UInt8]
    /// The body as it arrives, chunk by chunk: the only way to read it on a streaming route.
    public let bodyStream: RequestBodyStream
    /// Values of the route's `:name` segments, by name, set once the request is matched;
    /// `require(_:as:)` reads them typed.
    public internal(set) var parameters: [String: String]
    /// The id that ties this request's response, log lines and problem bodies together.
    ///
    /// The caller's `X-Request-Id` when it is a short token, else a fresh 16-hex-digit id.
    public let requestId: String
    /// The connection's peer: the front door's address behind it.
    public let remoteAddress: String?
    /// The client's address, which limits, lockouts, idempotency keys and logs count against: the
    /// peer's, or the one a trusted proxy forwarded (`HTTPServer.Configuration.trustedProxies`).
    public let clientAddress: String?

    /// A request as the server makes it; `clientAddress` is the peer's unless given.
    public init(
        method: String, path: String, query: QueryParameters = QueryParameters(), headers: HTTPHeaders = [:],
        body: [UInt8] = [], parameters: [String: String] = [:], requestId: String, remoteAddress: String? = nil,
        clientAddress: String? = nil
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        bodyStream = RequestBodyStream(bytes: body)
        self.parameters = parameters
        self.requestId = requestId
        self.remoteAddress = remoteAddress
        self.clientAddress = clientAddress ?? remoteAddress
    }

    /// A request whose body the handler reads from `bodyStream` as the server receives it.
    init(
        method: String, path: String, query: QueryParameters, headers: HTTPHeaders, bodyStream: RequestBodyStream,
        requestId: String, remoteAddress: String?, clientAddress: String?
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        body = []
        self.bodyStream = bodyStream
        parameters = [:]
        self.requestId = requestId
        self.remoteAddress = remoteAddress
        self.clientAddress = clientAddress
    }

    /// The body decoded from JSON (ISO-8601 dates). Only a body declared `application/json` (or
    /// `application/…+json`) is read: a form or a body without a Content-Type, which a page of
    /// another site can make a browser send without asking, is a 415 `unsupported_media_type`
    /// problem; a text that breaks `TextInput`'s rules (a NUL, an overlong text) a 422 naming it; a
    /// 400 `malformed_json` problem names the offending field in Vietnamese.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        guard let contentType = headers["Content-Type"], Self.isJSON(Self.mediaType(contentType)) else {
            throw ProblemError.unsupportedMediaType(headers["Content-Type"] ?? "không khai báo")
        }
        try TextInput.check(json: body)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(type, from: Data(body))
        } catch let error as DecodingError {
            throw ProblemError.badRequest(
                code: "malformed_json", detail: "Nội dung yêu cầu không phải JSON hợp lệ: \(Self.explain(error)).")
        }
    }

    /// An `application/x-www-form-urlencoded` body decoded (see `FormDecoder`: dotted names for
    /// nested values, repeated names for arrays, empty values as absent optionals), for a page's
    /// form; 415 for any other Content-Type, 400 `malformed_form` naming the field that fails.
    public func decodeForm<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try FormDecoder().decode(type, from: try form())
        } catch let error as DecodingError {
            throw ProblemError.badRequest(
                code: "malformed_form", detail: "Nội dung biểu mẫu không hợp lệ: \(Self.explain(error)).")
        }
    }

    /// The fields of an `application/x-www-form-urlencoded` body; 415 for any other Content-Type,
    /// 422 naming each field that breaks `TextInput`'s rules.
    public func form() throws(ProblemError) -> FormFields {
        guard let contentType = headers["Content-Type"], Self.mediaType(contentType) == Self.formMediaType else {
            throw ProblemError.unsupportedMediaType(headers["Content-Type"] ?? "không khai báo")
        }
        let fields = FormFields(encoded: body)
        try TextInput.check(fields.items.map { ($0.name, $0.value) })
        return fields
    }

    static let formMediaType = "application/x-www-form-urlencoded"

    /// `Multipart/Form-Data; boundary=x` → `multipart/form-data`.
    static func mediaType(_ contentType: String) -> String {
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first ?? ""
        return mediaType.filter { !$0.isWhitespace }.lowercased()
    }

    private static func isJSON(_ essence: String) -> Bool {
        essence == "application/json" || (essence.hasPrefix("application/") && essence.hasSuffix("+json"))
    }

    /// A Vietnamese account of a decoding failure that names the field but never echoes a value.
    private static func explain(_ error: DecodingError) -> String {
        func field(_ path: [any CodingKey]) -> String {
            let names = path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return names.isEmpty ? "toàn bộ nội dung" : "trường \"\(names.joined(separator: "."))\""
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "thiếu \(field(context.codingPath + [key]))"
        case .valueNotFound(_, let context):
            return "\(field(context.codingPath)) không được để trống"
        case .typeMismatch(_, let context):
            return "\(field(context.codingPath)) sai kiểu dữ liệu"
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "sai cú pháp JSON"
        case .dataCorrupted(let context):
            return "\(field(context.codingPath)) có giá trị không đúng định dạng"
        @unknown default:
            return "không đọc được nội dung"
        }
    }
}
