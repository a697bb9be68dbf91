import Observability
import Synchronization

/// A dedicated connection that LISTENs on channels and hands out what arrives, reconnecting and
/// LISTENing again after the server restarts or the backend is killed.
///
/// Every (re)connection yields `.connected` first: a NOTIFY sent while no connection listened is
/// lost, so a consumer drains its queue on `.connected` and never depends on a notification.
public final class PostgresListener: Sendable {
    /// What the listener reports.
    public enum Event: Sendable, Equatable {
        /// Listening (again) on every channel; anything notified before may have been missed.
        case connected
        case notification(PostgresNotification)
    }

    private let configuration: PostgresConfiguration
    private let channels: [String]
    private let logger: Logger
    private let current = Mutex<PostgresConnection?>(nil)
    private let stopped = Atomic<Bool>(false)

    public init(configuration: PostgresConfiguration, channels: [String], logger: Logger) {
        self.configuration = configuration
        self.channels = channels
        self.logger = logger
    }

    /// The events, until `stop()` or until the consuming task is cancelled.
    public func events() -> AsyncStream<Event> {
        AsyncStream { continuation in
            let task = Task { await run(continuation) }
            continuation.onTermination = { _ in
                task.cancel()
                self.wake()
            }
        }
    }

    /// Ends every stream of this listener promptly, even one blocked waiting on the socket.
    public func stop() {
        stopped.store(true, ordering: .sequentiallyConsistent)
        wake()
    }

    private var isStopped: Bool { stopped.load(ordering: .sequentiallyConsistent) || Task.isCancelled }

    private func wake() { current.withLock { $0 }?.interrupt() }

    private func run(_ continuation: AsyncStream<Event>.Continuation) async {
        var delay = Duration.milliseconds(100)
        while !isStopped {
            do {
                // Its own thread: an idle listener blocks in poll for up to 30 s at a time.
                let connection = try await PostgresConnection.connect(configuration, dedicatedThread: true)
                current.withLock { $0 = connection }
                for channel in channels { try await connection.listen(channel) }
                delay = .milliseconds(100)
                continuation.yield(.connected)
                while !isStopped {
                    for notification in try await connection.waitForNotifications(timeout: .seconds(30)) {
                        continuation.yield(.notification(notification))
                    }
                }
                await connection.close()
            } catch {
                current.withLock { $0 = nil }
                guard !isStopped else { break }
                logger.warning("listener lost its connection; reconnecting", ["error": .string("\(error)")])
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
        current.withLock { $0 = nil }
        continuation.finish()
    }
}
