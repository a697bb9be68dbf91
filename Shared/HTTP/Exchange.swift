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
    let match: Router.Match
    let started: ContinuousClock.Instant
    private let state = Mutex(State())

    private struct State {
        var body: [UInt8] = []
        var overflowed = false
        var stage = Stage.receiving
    }

    /// `receiving` → `handling` (connection suspended) → `responded` (resumed) → `queued`.
    private enum Stage {
        case receiving
        case handling(ConnectionHandle)
        case responded(Response)
        case queued
    }

    init(
        method: String, rawPath: String, query: QueryParameters, headers: HTTPHeaders, remoteAddress: String?,
        router: Router
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
        match = router.match(method: method, segments: segments)
    }

    /// The route's pattern, or `unmatched` when the request reached no handler.
    var routeLabel: String {
        if case .found(let route, _) = match { return route.pattern }
        return HTTPMetrics.unmatchedRoute
    }

    /// The body length the client announced, when it did.
    var declaredLength: Int? {
        headers["Content-Length"].flatMap { Int($0) }
    }

    /// True once the body has grown past the limit; from then on its bytes are dropped, not kept.
    var overflowed: Bool { state.withLock { $0.overflowed } }

    /// Appends a chunk of the body unless that would pass `limit`.
    func receive(_ chunk: UnsafeRawBufferPointer, limit: Int) {
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

    /// Stores the response for a suspended request and returns its connection for the caller to
    /// resume, or nil when the request was already answered (by shutdown, after its deadline).
    func complete(with response: Response) -> ConnectionHandle? {
        state.withLock { state in
            guard case .handling(let connection) = state.stage else { return nil }
            state.stage = .responded(response)
            return connection
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

    /// The request a handler sees.
    func request(body: [UInt8], parameters: [String: String]) -> Request {
        Request(
            method: method, path: path, query: query, headers: headers, body: body, parameters: parameters,
            requestId: requestId, remoteAddress: remoteAddress)
    }
}
