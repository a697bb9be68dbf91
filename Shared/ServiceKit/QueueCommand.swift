import Foundation
import Observability
import Postgres
import Queue

/// `motcua-<service> queue …`: what an operator needs of the queue from a shell, as the service's
/// own role (its `DATABASE_URL`), or as a superuser for `migrate` (the queue's migrations and the
/// catalogue's topic rights) and for other roles' consumers; `maintain` (the event log's months
/// ahead and past) as a superuser or role `mq_maintainer`, from a daily job.
enum QueueCommand {
    static func run<S: Service>(_: S.Type, arguments: [String], environment: [String: String]) async -> Int32 {
        let pool = PostgresPool(
            configuration: PostgresConfiguration.fromEnvironment(
                environment, applicationName: "motcua-\(S.name)-queue"),
            maxConnections: 1)
        defer { Task { await pool.close() } }
        var options = arguments.dropFirst()
        let consumer = option("--consumer", in: &options) ?? S.name
        do {
            switch arguments.first {
            case "stats":
                print(try await stats(pool))
            case "dead":
                print(try await dead(pool, consumer: consumer))
            case "redrive":
                let all = options.contains("--all")
                let ids = options.filter { $0 != "--all" }.compactMap { Int64($0) }
                guard all != !ids.isEmpty, ids.count == options.filter({ $0 != "--all" }).count else {
                    ServiceMain.writeError("queue redrive: give --all or the event ids of dead deliveries\n")
                    return 2
                }
                let count = try await pool.query("SELECT mq.redrive($1, $2)", [consumer, all ? nil : ids]).single()
                    .decode(Int.self, at: 0)
                print("\(count) dead deliveries of \(consumer) will be delivered again")
            case "migrate":
                let applied = try await QueueTopics.migrate(pool)
                print(applied.isEmpty ? "queue schema is up to date" : "queue migrations applied: \(applied)")
                print("topic rights written for \(QueueTopics.rights.count) topics")
            case "maintain":
                try await pool.query("SELECT mq.maintain()")
                print("event log partitions made for this month and the next two; expired months dropped")
            default:
                ServiceMain.writeError(
                    "usage: motcua-\(S.name) queue stats | dead | redrive (--all | ID…) | migrate | maintain [--consumer NAME]\n"
                )
                return 2
            }
            return 0
        } catch {
            ServiceMain.writeError("motcua-\(S.name) queue: \(error)\n")
            return 1
        }
    }

    private static func option(_ name: String, in options: inout ArraySlice<String>) -> String? {
        guard let index = options.firstIndex(of: name), index + 1 < options.endIndex else { return nil }
        let value = options[index + 1]
        options.removeSubrange(index...(index + 1))
        return value
    }

    static func stats(_ pool: PostgresPool) async throws -> String {
        let rows = try await pool.query(
            "SELECT consumer, topic, pending, waiting, dead, extract(epoch FROM now() - oldest_pending)::bigint FROM mq.stats()"
        )
        var table = [["consumer", "topic", "due", "waiting", "dead", "oldest (s)"]]
        for row in rows {
            let (consumer, topic, pending, waiting, dead, age) = try row.decode(
                String.self, String.self, Int64.self, Int64.self, Int64.self, Int64?.self)
            table.append([consumer, topic, String(pending), String(waiting), String(dead), age.map(String.init) ?? "-"])
        }
        return render(table)
    }

    static func dead(_ pool: PostgresPool, consumer: String) async throws -> String {
        let rows = try await pool.query(
            "SELECT event_id, topic, key, attempts, coalesce(last_error, '') FROM mq.dead($1, 1000)", [consumer])
        var table = [["event", "topic", "key", "tries", "last error"]]
        for row in rows {
            let (id, topic, key, attempts, error) = try row.decode(
                Int64.self, String.self, String.self, Int.self, String.self)
            table.append([String(id), topic, key, String(attempts), PersonalData.mask(String(error.prefix(120)))])
        }
        return render(table)
    }

    /// Columns padded to their widest cell.
    private static func render(_ table: [[String]]) -> String {
        let widths = table[0].indices.map { column in table.map { $0[column].count }.max() ?? 0 }
        return table.map { row in
            zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
