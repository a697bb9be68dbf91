import Foundation
import Synchronization

/// One thread of its own that waits, in a single `poll(2)`, for every socket a task awaits input
/// on, and resumes each task when its socket is readable.
///
/// A connection that waits for input for long (a listener between notifications) then holds no
/// thread: blocking in libpq would hold one of Dispatch's worker threads, which are capped (255)
/// and shared by every connection in the process, so a few hundred idle listeners would stall
/// every database call.
final class SocketPoller: Sendable {
    /// The process's poller, made (and its thread started) at the first wait.
    static let shared = SocketPoller()

    private struct State {
        var waits: [Int: Wait] = [:]
        var nextWait = 0
    }

    /// A task waiting for a socket, or about to.
    private enum Wait {
        case registering
        case waiting(socket: Int32, CheckedContinuation<Void, Never>)
        case cancelled
    }

    private let state = Mutex(State())
    /// A pipe written to whenever the sockets to poll change, to wake the thread from its `poll`.
    private let wakeUp: (read: Int32, write: Int32)

    private init() {
        var descriptors: [Int32] = [-1, -1]
        precondition(pipe(&descriptors) == 0, "pipe failed: \(errno)")
        for descriptor in descriptors {
            _ = fcntl(descriptor, F_SETFL, O_NONBLOCK)
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        wakeUp = (descriptors[0], descriptors[1])
        let thread = Thread { [self] in
            while true { pollOnce() }
        }
        thread.name = "motcua.pg.poll"
        thread.start()
    }

    /// Returns once `socket` has input to read (or is closed, or in error), or once the task is
    /// cancelled.
    func readable(_ socket: Int32) async {
        let id = state.withLock { state in
            defer { state.nextWait += 1 }
            state.waits[state.nextWait] = .registering
            return state.nextWait
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let waiting = state.withLock { state in
                    guard case .registering = state.waits[id] else { return false }
                    state.waits[id] = .waiting(socket: socket, continuation)
                    return true
                }
                if waiting { wake() } else { continuation.resume() }
            }
        } onCancel: {
            let continuation: CheckedContinuation<Void, Never>? = state.withLock { state in
                switch state.waits[id] {
                case .registering:
                    state.waits[id] = .cancelled
                    return nil
                case .waiting(_, let continuation):
                    state.waits[id] = nil
                    return continuation
                case .cancelled, nil:
                    return nil
                }
            }
            if let continuation {
                continuation.resume()
                wake()
            }
        }
        state.withLock { _ = $0.waits.removeValue(forKey: id) }
    }

    private func wake() {
        var one: UInt8 = 1
        _ = write(wakeUp.write, &one, 1)  // a full pipe wakes the thread as well
    }

    /// Waits until the wake-up descriptor or a socket waited on is ready, and resumes the waits
    /// on the ready sockets.
    private func pollOnce() {
        let waiting = state.withLock { state in
            state.waits.compactMap { id, wait -> (Int, Int32)? in
                guard case .waiting(let socket, _) = wait else { return nil }
                return (id, socket)
            }
        }
        var descriptors = [pollfd(fd: wakeUp.read, events: Int16(POLLIN), revents: 0)]
        descriptors += waiting.map { pollfd(fd: $0.1, events: Int16(POLLIN), revents: 0) }
        guard poll(&descriptors, nfds_t(descriptors.count), -1) > 0 else { return }
        if descriptors[0].revents != 0 {
            var scratch = [UInt8](repeating: 0, count: 64)
            while read(wakeUp.read, &scratch, 64) > 0 {}
        }
        let ready = zip(waiting, descriptors.dropFirst()).filter { $0.1.revents != 0 }.map(\.0.0)
        guard !ready.isEmpty else { return }
        let continuations = state.withLock { state in
            ready.compactMap { id -> CheckedContinuation<Void, Never>? in
                guard case .waiting(_, let continuation) = state.waits[id] else { return nil }
                state.waits[id] = nil
                return continuation
            }
        }
        for continuation in continuations { continuation.resume() }
    }
}
