/// The header of one part of a `multipart/form-data` body: which form field it is, and for a
/// file its name and type.
public struct MultipartPartHead: Sendable, Equatable {
    /// The form field's name (`Content-Disposition: form-data; name="…"`).
    public let name: String
    /// The file's name as the client sent it, for a file part; never trust it as a path.
    public let filename: String?
    /// The part's `Content-Type`, when given (`application/pdf`).
    public let contentType: String?

    public init(name: String, filename: String? = nil, contentType: String? = nil) {
        self.name = name
        self.filename = filename
        self.contentType = contentType
    }

    /// A head from its header lines; a part without a form-data name is malformed.
    init(headerLines: [String]) throws(ProblemError) {
        var disposition: String?
        var contentType: String?
        for line in headerLines {
            guard let colon = line.firstIndex(of: ":") else { throw MultipartReader.malformed }
            let value = line[line.index(after: colon)...].trimmingBlanks
            switch line[..<colon].lowercased() {
            case "content-disposition": disposition = value
            case "content-type": contentType = value
            default: continue
            }
        }
        guard let disposition, disposition.lowercased().hasPrefix("form-data"),
            let name = Self.parameters(of: disposition)["name"]
        else { throw MultipartReader.malformed }
        self.init(name: name, filename: Self.parameters(of: disposition)["filename"], contentType: contentType)
    }

    /// The `key=value` parameters after the first `;` of a header value, unquoted, keys lower-cased.
    static func parameters(of value: String) -> [String: String] {
        var parameters: [String: String] = [:]
        for piece in value.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            parameters[pair[0].trimmingBlanks.lowercased()] = pair[1].trimmingBlanks.unquoted
        }
        return parameters
    }
}
