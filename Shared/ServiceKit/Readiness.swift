import HTTP
import Postgres
import Queue

/// Readiness (`GET /readyz`): the database answers and the schema's migrations are current.
enum Readiness {
    static func check(pool: PostgresPool, migrator: Migrator, consumers: [any QueueConsumer]) async -> ReadinessReport {
        let stopped = consumers.filter { !$0.isRunning }.map { $0.name ?? "(role)" }
        let consumerCheck: ReadinessReport.Check =
            stopped.isEmpty
            ? .passing("consumers", message: "\(consumers.count) running")
            : .failing("consumers", message: "not running: \(stopped.joined(separator: ", "))")
        let outcome = await withTaskGroup(of: ReadinessReport?.self) { group in
            group.addTask {
                do {
                    let pending = try await migrator.pending(pool)
                    return ReadinessReport(checks: [
                        .passing("database"),
                        pending.isEmpty
                            ? .passing("migrations")
                            : .failing(
                                "migrations", message: "pending: \(pending.map(String.init).joined(separator: ", "))"),
                        consumerCheck,
                    ])
                } catch {
                    return ReadinessReport(checks: [.failing("database", message: "\(error)"), consumerCheck])
                }
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(2))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        return outcome ?? ReadinessReport(checks: [.failing("database", message: "no answer within 2 s")])
    }
}
