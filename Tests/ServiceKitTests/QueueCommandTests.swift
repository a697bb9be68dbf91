import Foundation
import Postgres
import PostgresTestSupport
import ProcessTestSupport
import Queue
import Testing

/// `motcua-<service> queue …` run as a real process.
@Suite struct QueueCommandTests {
    struct Received: Codable, Sendable { let code: String }

    @Test func queueCommandMigratesShowsStatsListsDeadAndRedrives() async throws {
        let database = try await bootstrappedDatabase("qcli")
        var superuser = ProcessInfo.processInfo.environment
        superuser["PGDATABASE"] = database.name
        let migrate = try ChildProcess.service("intake", "queue", ["migrate"], environment: superuser)
        #expect(try await migrate.exitStatus(within: .seconds(30)) == 0, "\(migrate.standardError)")
        let again = try ChildProcess.service("intake", "queue", ["migrate"], environment: superuser)
        #expect(try await again.exitStatus(within: .seconds(30)) == 0)
        #expect(again.standardOutput.contains("up to date"))

        // A delivery of reporting's that failed its only try.
        let reporting = PostgresPool(configuration: database.configuration.with(user: "reporting"), maxConnections: 1)
        try await reporting.query("SELECT mq.subscribe('reporting', $1)", [["dossier.received"]])
        let intake = PostgresPool(configuration: database.configuration.with(user: "intake"), maxConnections: 1)
        let id = try await intake.transaction { tx in
            try await tx.publish(
                "dossier.received", key: "H01.40.23-261125-0001", Received(code: "H01.40.23-261125-0001"))
        }
        try await reporting.transaction { tx in
            _ = try await tx.query("SELECT * FROM mq.claim('reporting', 1, 1)")
            try await tx.query("SELECT mq.fail('reporting', $1, 'projection refused: gọi 0912345678', now(), 1)", [id])
        }

        var asReporting = superuser
        asReporting["PGUSER"] = "reporting"
        let stats = try ChildProcess.service("reporting", "queue", ["stats"], environment: asReporting)
        #expect(try await stats.exitStatus(within: .seconds(30)) == 0)
        let statsLine = try #require(stats.standardOutput.split(separator: "\n").first { $0.hasPrefix("reporting ") })
        #expect(
            statsLine.split(separator: " ", omittingEmptySubsequences: true).map(String.init).prefix(5) == [
                "reporting", "dossier.received", "0", "0", "1",
            ])

        let dead = try ChildProcess.service("reporting", "queue", ["dead"], environment: asReporting)
        #expect(try await dead.exitStatus(within: .seconds(30)) == 0)
        #expect(dead.standardOutput.contains("\(id)"))
        #expect(dead.standardOutput.contains("projection refused"))
        #expect(!dead.standardOutput.contains("0912345678"))

        let refused = try ChildProcess.service(
            "payment", "queue", ["dead", "--consumer", "reporting"],
            environment: asReporting.merging(["PGUSER": "payment"]) { $1 })
        #expect(try await refused.exitStatus(within: .seconds(30)) == 1)
        #expect(refused.standardError.contains("may not act as queue consumer reporting"))

        let redrive = try ChildProcess.service("reporting", "queue", ["redrive", "--all"], environment: asReporting)
        #expect(try await redrive.exitStatus(within: .seconds(30)) == 0)
        #expect(redrive.standardOutput.contains("1 dead deliveries"))
        let pending = try await reporting.query("SELECT pending FROM mq.stats()").single().decode(Int.self, at: 0)
        #expect(pending == 1)

        await reporting.close()
        await intake.close()
        await database.drop()
    }
}
