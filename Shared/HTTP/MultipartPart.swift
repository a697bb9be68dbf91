/// One part of a small `multipart/form-data` body, with its bytes.
public struct MultipartPart: Sendable, Equatable {
    /// The part's field name, file name and content type.
    public let head: MultipartPartHead
    /// The part's bytes (a field's value is its UTF-8 text).
    public let body: [UInt8]

    public init(head: MultipartPartHead, body: [UInt8]) {
        self.head = head
        self.body = body
    }

    public var name: String { head.name }
    public var filename: String? { head.filename }
    public var contentType: String? { head.contentType }
    /// The bytes as text, for a plain field.
    public var text: String { String(decoding: body, as: UTF8.self) }
}
