import Foundation
import HTTP

/// One page of a list (`{items, nextCursor}`), read by keyset: the next page starts after the
/// last item's sort key, so pages stay stable and cheap however deep a client goes.
public struct Page<Item: Encodable & Sendable>: Encodable, Sendable {
    public let items: [Item]
    /// Opaque; absent on the last page.
    public let nextCursor: String?

    /// The page from `rows` fetched with `request.fetchLimit` (one more than the page holds, to
    /// know whether another page follows); `key` gives an item's sort key, which the next page's
    /// query reads back through `request.after(_:)`.
    public init<Key: Encodable>(rows: [Item], request: PageRequest, key: (Item) -> Key) {
        let hasMore = rows.count > request.limit
        items = Array(rows.prefix(request.limit))
        nextCursor = hasMore ? items.last.map { PageRequest.cursor(for: key($0)) } : nil
    }
}

/// What a list request asks for: `limit` (at most a maximum) and the `cursor` of the previous page.
public struct PageRequest: Sendable {
    public let limit: Int
    public let cursor: String?

    /// Reads `limit` and `cursor` from the query; a bad one is a 400 problem naming it.
    public init(query: QueryParameters, defaultLimit: Int = 50, maximumLimit: Int = 200) throws {
        if let text = query["limit"] {
            guard let limit = Int(text), (1...maximumLimit).contains(limit) else {
                throw ProblemError.badRequest(
                    code: "invalid_parameter",
                    detail: "Tham số limit phải là số nguyên từ 1 đến \(maximumLimit).")
            }
            self.limit = limit
        } else {
            limit = defaultLimit
        }
        cursor = query["cursor"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Rows to fetch: one more than the page, to know whether another follows.
    public var fetchLimit: Int { limit + 1 }

    /// The sort key the page starts after, or nil for the first page; a cursor that is not one of
    /// ours is a 400 `invalid_cursor` problem: too long, not base64url JSON of a `Key`, a NUL in its
    /// text, or a date outside years 1–9999 (a cursor comes from outside, whatever it claims).
    public func after<Key: Decodable>(_: Key.Type) throws -> Key? {
        guard let cursor else { return nil }
        guard cursor.utf8.count <= Self.maximumCursorLength, let bytes = Base64URL.decode(cursor),
            !TextInput.escapesNUL(bytes), let key = try? Self.decoder.decode(Key.self, from: Data(bytes))
        else {
            throw ProblemError.badRequest(
                code: "invalid_cursor", detail: "Tham số cursor không hợp lệ; hãy dùng nextCursor của trang trước.")
        }
        return key
    }

    /// Longer than any key of ours encodes to.
    static let maximumCursorLength = 1024

    static func cursor(for key: some Encodable) -> String {
        // Keys are strings, numbers and dates: encoding them cannot fail.
        Base64URL.encode((try? encoder.encode(key)) ?? Data())
    }

    // Dates keep their default encoding, a Double of seconds: a microsecond timestamp survives
    // the round trip, where ISO 8601 text would drop its fraction and repeat rows.
    private static let encoder = JSONEncoder()
    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            // The encoder's default: seconds since 2001-01-01.
            let container = try decoder.singleValueContainer()
            let date = Date(timeIntervalSinceReferenceDate: try container.decode(Double.self))
            guard PageRequest.dateRange.contains(date.timeIntervalSince1970) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "date out of range")
            }
            return date
        }
        return decoder
    }()

    /// 0001-01-01 to 9999-12-31 (UTC), in seconds since 1970: every date a list sorts by.
    private static let dateRange = -62_135_596_800.0...253_402_300_799.999
}
