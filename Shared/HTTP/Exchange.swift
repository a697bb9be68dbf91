import CMicroHTTPD
import Synchronization

/// A libmicrohttpd connection pointer that can travel into the Task running a handler.
///
/// `@unchecked Sendable` because raw pointers are not Sendable; the handle is immutable, and the
/// only call made through it off MHD's own threads is `MHD_resume_connection`, which MHD allows from
/// any thread on a suspended connection.
struct ConnectionHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}

/// One request's life inside the server, from its header fields to MHD's completion notice.
///
/// MHD holds a retained pointer to it in the connection's `con_cls` between callbacks, and the Task
/// running the handler holds it too; the mutable part sits behind a Mutex because both MHD's threads
/// and that Task touch it.
final class Exchange: Sendable {
    let method: String
    /// The percent-decoded path, reported in problems and logs.
    let path: String
    let query: QueryParameters
    let headers: HTTPHeaders
    let requestId: String
    let remoteAddress: String?
    /// The route, chosen from the method and path before any body byte is read.
    let resolution: Resolution
    /// The body's hand-over to the handler, on a streaming route.
    let channel: BodyChannel?
    let started: ContinuousClock.Instant
    private let state = Mutex(State())

    private struct State {
        var body: [UInt8] = []
        var overflowed = false
        var stage = Stage.receiving
    }

    /// `receiving` → `handling` (connection suspended) → `responded` (resumed) → `queued`.
    /// A streaming route's handler may answer while the body is still arriving: `receiving` →
    /// `responded`, queued at MHD's last call.
    private enum Stage {
        case receiving
        case handling(ConnectionHandle)
        case responded(Response)
        case queued
    }

    /// What `complete(with:)` did with a response.
    enum Completion {
        /// Stored; the caller resumes this suspended connection so MHD sends it.
        case resume(ConnectionHandle)
        /// Stored; MHD sends it at its last call, once the rest of the body is read.
        case atEndOfBody
    }

    init(
        method: String, rawPath: String, query: QueryParameters, headers: HTTPHeaders, remoteAddress: String?,
        resolve: (_ method: String, _ segments: [String]) -> Resolution
    ) {
        started = .now
        self.method = method
        path = PercentDecoding.decode(rawPath[...], plusIsSpace: false)
        self.query = query
        self.headers = headers
        self.remoteAddress = remoteAddress
        requestId = RequestID.accept(headers["X-Request-Id"])
        // Split before decoding, so an encoded "/" (%2F) stays inside its segment.
        let segments = rawPath.split(separator: "/").map { PercentDecoding.decode($0, plusIsSpace: false) }
        resolution = resolve(method, segments)
        if case .streaming(let limit) = resolution.body, case .found = resolution.outcome {
            channel = BodyChannel(limit: limit)
        } else {
            channel = nil
        }
    }

    /// The body length the client announced, when it did.
    var declaredLength: Int? {
        headers["Content-Length"].flatMap { Int($0) }
    }

    /// True once a buffered body has grown past the limit; from then on its bytes are dropped.
    var overflowed: Bool { state.withLock { $0.overflowed } }

    /// Appends a chunk of a buffered body unless that would pass the route's limit.
    func receive(_ chunk: UnsafeRawBufferPointer) {
        let limit = resolution.body.limit
        state.withLock { state in
            guard !state.overflowed else { return }
            if state.body.count + chunk.count > limit {
                state.overflowed = true
                state.body = []
            } else {
                state.body.append(contentsOf: chunk)
            }
        }
    }

    /// Suspends the connection while the handler runs and hands over the received body.
    ///
    /// Suspending under the lock means `complete` can never see `handling` for a connection MHD has
    /// not suspended yet, so it never resumes one that is not suspended.
    func suspend(_ connection: OpaquePointer) -> [UInt8] {
        state.withLock { state in
            MHD_suspend_connection(connection)
            state.stage = .handling(ConnectionHandle(pointer: connection))
            defer { state.body = [] }
            return state.body
        }
    }

    /// At the end of a streaming body: the handler's response when it already answered, else the
    /// connection is suspended until it does.
    func suspendUnlessAnswered(_ connection: OpaquePointer) -> Response? {
        state.withLock { state in
            if case .responded(let response) = state.stage {
                state.stage = .queued
                return response
            }
            MHD_suspend_connection(connection)
            state.stage = .handling(ConnectionHandle(pointer: connection))
            return nil
        }
    }

    /// Stores the response, or returns nil when the request was already answered (by shutdown,
    /// after its deadline) and `response` must be dropped.
    func complete(with response: Response) -> Completion? {
        state.withLock { state in
            switch state.stage {
            case .handling(let connection):
                state.stage = .responded(response)
                return .resume(connection)
            case .receiving where channel != nil:
                state.stage = .responded(response)
                return .atEndOfBody
            default:
                return nil
            }
        }
    }

    /// The stored response, once, for MHD's call after the connection resumes.
    func takeResponse() -> Response? {
        state.withLock { state in
            guard case .responded(let response) = state.stage else { return nil }
            state.stage = .queued
            return response
        }
    }

    /// The request a handler sees: with the buffered `body`, or reading the channel on a streaming route.
    func request(body: [UInt8]) -> Request {
        guard let channel else {
            return Request(
                method: method, path: path, query: query, headers: headers, body: body, requestId: requestId,
                remoteAddress: remoteAddress)
        }
        return Request(
            method: method, path: path, query: query, headers: headers,
            bodyStream: RequestBodyStream(channel: channel), requestId: requestId, remoteAddress: remoteAddress)
    }
}
