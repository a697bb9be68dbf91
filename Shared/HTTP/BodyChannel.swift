import CMicroHTTPD
import Synchronization

/// The hand-over of a streaming body from libmicrohttpd's thread to the handler reading it.
///
/// MHD pushes each chunk as it reads it; once `highWater` bytes wait unread, the connection is
/// suspended (MHD then reads nothing more from the socket and TCP pushes back on the client)
/// until the handler has taken them. So at most `highWater` plus one MHD read buffer is held.
final class BodyChannel: Sendable {
    /// Unread bytes above which the upload is paused.
    static let highWater = 1 << 20

    private let limit: Int
    private let state = Mutex(State())

    private struct State {
        var chunks: [[UInt8]] = []
        var buffered = 0
        var received = 0
        var finished = false
        var failure: ProblemError?
        /// The handler no longer reads: chunks are dropped.
        var abandoned = false
        /// Set while the connection is suspended because the handler is behind.
        var paused: ConnectionHandle?
        var waiter: CheckedContinuation<[UInt8]?, any Error>?
    }

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes a chunk from MHD (on its thread, inside the access handler); suspends `connection`
    /// when too much is waiting. Past the limit the reader gets a 413 and the rest is dropped.
    func push(_ bytes: UnsafeRawBufferPointer, connection: OpaquePointer) {
        let (waiter, result) = state.withLock {
            state -> (CheckedContinuation<[UInt8]?, any Error>?, Result<[UInt8]?, any Error>) in
            guard !state.abandoned, !state.finished, state.failure == nil else { return (nil, .success(nil)) }
            state.received += bytes.count
            if state.received > limit {
                state.failure = .payloadTooLarge(limit: limit)
                state.chunks = []
                state.buffered = 0
                defer { state.waiter = nil }
                return (state.waiter, .failure(ProblemError.payloadTooLarge(limit: limit)))
            }
            if let waiter = state.waiter {
                state.waiter = nil
                return (waiter, .success(Self.copy(bytes)))
            }
            state.chunks.append(Self.copy(bytes))
            state.buffered += bytes.count
            if state.buffered >= Self.highWater, state.paused == nil {
                MHD_suspend_connection(connection)
                state.paused = ConnectionHandle(pointer: connection)
            }
            return (nil, .success(nil))
        }
        waiter?.resume(with: result)
    }

    /// True while the upload is paused because the handler is behind (the wait is the server's, not the client's).
    var isPaused: Bool { state.withLock { $0.paused != nil } }

    /// Marks the end of the body (MHD's last call) or, with `failure`, its loss (the client left).
    func finish(failure: ProblemError? = nil) {
        let (waiter, outcome) = state.withLock { state -> (CheckedContinuation<[UInt8]?, any Error>?, ProblemError?) in
            guard !state.finished else { return (nil, nil) }
            state.finished = true
            if state.failure == nil { state.failure = failure }
            defer { state.waiter = nil }
            return (state.waiter, state.failure)
        }
        if let outcome { waiter?.resume(throwing: outcome) } else { waiter?.resume(returning: nil) }
    }

    /// The handler is done (answered or failed): later chunks are dropped, and a paused upload is
    /// resumed so MHD can read (and discard) the rest and send the answer.
    func abandon() {
        let paused = state.withLock { state -> ConnectionHandle? in
            state.abandoned = true
            state.chunks = []
            state.buffered = 0
            defer { state.paused = nil }
            return state.paused
        }
        if let paused { MHD_resume_connection(paused.pointer) }
    }

    /// Every chunk waiting, joined; waits when none is; nil at the end of the body.
    func next() async throws -> [UInt8]? {
        try await withCheckedThrowingContinuation { continuation in
            let (result, paused) = state.withLock { state -> (Result<[UInt8]?, any Error>?, ConnectionHandle?) in
                if !state.chunks.isEmpty {
                    var joined = state.chunks[0]
                    if state.chunks.count > 1 {
                        joined.reserveCapacity(state.buffered)
                        for chunk in state.chunks.dropFirst() { joined.append(contentsOf: chunk) }
                    }
                    state.chunks = []
                    state.buffered = 0
                    defer { state.paused = nil }
                    return (.success(joined), state.paused)
                }
                if let failure = state.failure { return (.failure(failure), nil) }
                if state.finished { return (.success(nil), nil) }
                state.waiter = continuation
                return (nil, nil)
            }
            if let paused { MHD_resume_connection(paused.pointer) }
            if let result { continuation.resume(with: result) }
        }
    }

    /// MHD's bytes as an array, copied in one block.
    private static func copy(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, count in
            if let base = bytes.baseAddress, bytes.count > 0 {
                UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: base, byteCount: bytes.count)
            }
            count = bytes.count
        }
    }
}
