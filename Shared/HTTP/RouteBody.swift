/// How a route receives its request body, chosen per route and known from the headers alone, so a
/// body over the limit is refused before its first byte is read.
public enum RouteBody: Sendable, Equatable {
    /// The whole body is received before the handler runs, in `Request.body`; a larger one is a 413.
    case buffered(maximumBodySize: Int)
    /// The handler runs as soon as the headers arrive and reads the body as it comes, from
    /// `Request.bodyStream`, up to `limit` bytes; the server holds only a small window of it.
    case streaming(limit: Int)

    /// Buffered up to 1 MiB: JSON and form posts.
    public static let standard = RouteBody.buffered(maximumBodySize: 1 << 20)

    /// The largest body the route accepts.
    public var limit: Int {
        switch self {
        case .buffered(let maximumBodySize): maximumBodySize
        case .streaming(let limit): limit
        }
    }

    /// True for a route whose handler reads the body while it arrives.
    public var isStreaming: Bool {
        if case .streaming = self { return true }
        return false
    }
}
