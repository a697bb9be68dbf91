/// A request body read chunk by chunk, as it arrives: on a streaming route the server fills it
/// from the socket and pauses the upload while the handler is behind, so memory stays flat
/// whatever the body's size.
///
/// ```swift
/// for try await chunk in request.bodyStream { try file.write(chunk) }
/// ```
/// On a buffered route (and for a request built in a test) it yields the whole body at once.
/// Iterating throws a 413 problem when the body passes the route's limit.
public struct RequestBodyStream: AsyncSequence, Sendable {
    public typealias Element = [UInt8]

    enum Source: Sendable {
        case bytes([UInt8])
        case channel(BodyChannel)
    }

    let source: Source

    /// A stream that yields `bytes` (nothing when empty).
    public init(bytes: [UInt8]) { source = .bytes(bytes) }

    init(channel: BodyChannel) { source = .channel(channel) }

    public func makeAsyncIterator() -> Iterator {
        switch source {
        case .bytes(let bytes): Iterator(pending: bytes.isEmpty ? nil : bytes, channel: nil)
        case .channel(let channel): Iterator(pending: nil, channel: channel)
        }
    }

    /// Gives the chunks in order; nil at the end of the body.
    public struct Iterator: AsyncIteratorProtocol {
        var pending: [UInt8]?
        let channel: BodyChannel?

        public mutating func next() async throws -> [UInt8]? {
            if let channel { return try await channel.next() }
            defer { pending = nil }
            return pending
        }
    }

    /// The whole body gathered in memory, refused with a 413 problem past `limit` bytes.
    public func collect(upTo limit: Int) async throws -> [UInt8] {
        var body: [UInt8] = []
        for try await chunk in self {
            guard body.count + chunk.count <= limit else { throw ProblemError.payloadTooLarge(limit: limit) }
            body += chunk
        }
        return body
    }
}
