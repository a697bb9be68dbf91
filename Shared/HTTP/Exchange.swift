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
    /// The connection's peer.
    let remoteAddress: String?
    /// The client's address: the peer's, or the one a trusted proxy forwarded.
    let clientAddress: String?
    /// The route, chosen from the method and path before any body byte is read.
    let resolution: Resolution
    /// The body's hand-over to the handler, on a streaming route.
    let channel: BodyChannel?
    let started: ContinuousClock.Instant
    private let state = Mutex(State())

    private struct State {
        var body: [UInt8] = []
        var stage = Stage.receiving
        /// Bytes of the server's body budget this request holds.
        var reserved = 0
    }

    /// `receiving` → `handling` (connection suspended) → `responded` (resumed) → `queued`.
    /// A streaming route's handler may answer while the body is still arriving: `receiving` →
    /// `responded`, queued at MHD's last call. A request the server stops reading (its body over
    /// the limit or the budget, past its deadline, or at shutdown) goes from `receiving` to `cut`:
    /// its answer was written straight to the socket, and the connection is being closed.
    private enum Stage {
        case receiving
        case handling(ConnectionHandle)
        case responded(Response)
        case queued
        case cut
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
        trustedProxies: TrustedProxies, resolve: (_ method: String, _ segments: [String]) -> Resolution
    ) {
        started = .now
        self.method = method
        path = PercentDecoding.decode(rawPath[...], plusIsSpace: false)
        self.query = query
        self.headers = headers
        self.remoteAddress = remoteAddress
        clientAddress = trustedProxies.clientAddress(peer: remoteAddress, forwardedFor: headers.values("X-Forwarded-For"))
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

    /// The problem with how the request says where its body ends, when it is ambiguous or not
    /// understood — the cases a proxy and this server could read differently (request smuggling) —
    /// or when an HTTP/1.1 request names no Host (RFC 9112 §3.2).
    func framingProblem(version: String) -> ProblemError? {
        if version == "HTTP/1.1", headers["Host"] == nil {
            return .badRequest(code: "missing_host", detail: "Yêu cầu HTTP/1.1 phải có trường Host.")
        }
        let lengths = Set(
            headers.filter { $0.name.lowercased() == "content-length" }
                .flatMap { $0.value.split(separator: ",").map { $0.trimmingBlanks } })
        if let coding = headers["Transfer-Encoding"] {
            guard lengths.isEmpty else {
                return .badRequest(
                    code: "conflicting_framing",
                    detail: "Yêu cầu không được có đồng thời Content-Length và Transfer-Encoding.")
            }
            guard coding.trimmingBlanks.lowercased() == "chunked" else {
                return .badRequest(
                    code: "unsupported_transfer_coding", detail: "Chỉ hỗ trợ Transfer-Encoding: chunked.")
            }
        }
        if lengths.count > 1 {
            return .badRequest(
                code: "conflicting_content_length", detail: "Yêu cầu có nhiều giá trị Content-Length khác nhau.")
        }
        return nil
    }

    /// Why a buffered body was refused while it arrived.
    enum Refusal {
        /// Past the route's limit.
        case overLimit
        /// Past what the server's body budget had left.
        case overBudget
    }

    /// Appends a chunk of a buffered body, taking its bytes from `budget` as the body grows past
    /// what was reserved; nil when kept, else why it cannot be.
    func receive(_ chunk: UnsafeRawBufferPointer, budget: BodyBudget) -> Refusal? {
        let limit = resolution.body.limit
        return state.withLock { state in
            let needed = state.body.count + chunk.count
            if needed > limit { return .overLimit }
            if needed > state.reserved {
                let more = max(needed, min(limit, state.reserved * 2)) - state.reserved
                guard budget.take(more) else { return .overBudget }
                state.reserved += more
                state.body.reserveCapacity(state.reserved)
            }
            state.body.append(contentsOf: chunk)
            return nil
        }
    }

    /// Takes the whole declared body's bytes from `budget` before any is read; false when it has not that many left.
    func reserve(_ bytes: Int, from budget: BodyBudget) -> Bool {
        guard bytes > 0 else { return true }
        guard budget.take(bytes) else { return false }
        state.withLock { state in
            state.reserved += bytes
            state.body.reserveCapacity(bytes)
        }
        return true
    }

    /// Gives the request's bytes back to `budget` (at MHD's completion notice).
    func release(to budget: BodyBudget) {
        let reserved = state.withLock { state in
            defer { state.reserved = 0 }
            return state.reserved
        }
        budget.give(reserved)
    }

    /// True while the server waits on the client: the request's body is still arriving and the
    /// server has not paused its reading.
    var isAwaitingClient: Bool {
        state.withLock { state in
            guard case .receiving = state.stage else { return false }
            return channel?.isPaused != true
        }
    }

    /// True once the server stopped reading the request (see `cut(with:socket:)`).
    var isCut: Bool {
        state.withLock { state in
            if case .cut = state.stage { return true }
            return false
        }
    }

    /// Stops a request whose body is still arriving: writes `response` (with `Connection: close`)
    /// straight to `socket` — libmicrohttpd cannot queue a response while it reads a body — and
    /// returns true; the caller then closes the connection. False when the request is past
    /// receiving (its handler runs or it was answered) and must be left alone.
    func cut(with response: Response, socket: Int32) -> Bool {
        state.withLock { state in
            guard case .receiving = state.stage else { return false }
            state.stage = .cut
            state.body = []
            WireResponse.write(response, to: socket)
            return true
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

    /// A streaming handler answered while its body was still arriving: writes that answer straight
    /// to `socket` instead of reading the rest, and returns true; the caller closes the connection.
    func cutWithEarlyAnswer(socket: Int32) -> Bool {
        state.withLock { state in
            guard case .responded(let response) = state.stage, channel != nil else { return false }
            state.stage = .cut
            WireResponse.write(response, to: socket)
            return true
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
                remoteAddress: remoteAddress, clientAddress: clientAddress)
        }
        return Request(
            method: method, path: path, query: query, headers: headers,
            bodyStream: RequestBodyStream(channel: channel), requestId: requestId, remoteAddress: remoteAddress,
            clientAddress: clientAddress)
    }
}
