import Postgres
import Synchronization

/// Sends the NOTIFYs that wake consumers, after the publishing transactions commit, coalesced.
///
/// A transaction that runs NOTIFY holds a database-wide lock from its commit's start to its end,
/// so notifying commits run one at a time. Publishing transactions therefore do not notify:
/// they hand their consumers to this process-wide sender once committed, which sends one
/// `pg_notify` per consumer in one small transaction, and while that is in flight gathers what
/// the next one will send. Every event is followed by a NOTIFY sent after its commit, so a
/// listening consumer never sleeps past a visible event; a NOTIFY lost anyway (the process dies
/// first) delays the event to the consumer's next poll.
final class WakeUps: Sendable {
    private struct State {
        var pending: Set<String> = []
        var sending = false
    }

    private let configuration: PostgresConfiguration
    private let state = Mutex(State())
    private let connection = Mutex<PostgresConnection?>(nil)

    private init(configuration: PostgresConfiguration) { self.configuration = configuration }

    private static let senders = Mutex<[String: WakeUps]>([:])

    /// The sender for connections made like `configuration` (one per database and role).
    static func sender(for configuration: PostgresConfiguration) -> WakeUps {
        let key = [configuration.connectionString, configuration.user ?? "", configuration.database ?? ""]
            .joined(separator: "\u{1}")
        return senders.withLock { all in
            if let existing = all[key] { return existing }
            let created = WakeUps(configuration: configuration)
            all[key] = created
            return created
        }
    }

    /// Schedules a wake-up of each consumer; call it only once the events are committed.
    func wake(_ consumers: [String]) {
        guard !consumers.isEmpty else { return }
        let start = state.withLock { state in
            state.pending.formUnion(consumers)
            if state.sending { return false }
            state.sending = true
            return true
        }
        if start { Task { await send() } }
    }

    private func send() async {
        while true {
            let batch = state.withLock { state -> [String]? in
                guard !state.pending.isEmpty else {
                    state.sending = false
                    return nil
                }
                defer { state.pending = [] }
                return state.pending.sorted()
            }
            guard let batch else { return }
            do {
                let notifier = try await openConnection()
                try await notifier.query("SELECT pg_notify('mq_' || c, '') FROM unnest($1::text[]) AS c", [batch])
            } catch {
                // The consumers' polls pick the events up; try a fresh connection next time.
                connection.withLock { $0 = nil }
            }
        }
    }

    private func openConnection() async throws -> PostgresConnection {
        if let open = connection.withLock({ $0 }) { return open }
        let opened = try await PostgresConnection.connect(configuration)
        connection.withLock { $0 = opened }
        return opened
    }
}
