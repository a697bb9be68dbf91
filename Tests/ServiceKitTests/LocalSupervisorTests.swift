import Foundation
import PostgresTestSupport
import ProcessTestSupport
import Testing

/// `deploy/local/lib.sh`'s supervisor, run on a stand-in service: one that dies is started again
/// after a back-off that doubles, one that exits 0 stays stopped, and `<svc>.stop` ends it. It runs
/// as the caller here (`is_root` answers false): the users it switches to are `up`'s.
@Suite struct LocalSupervisorTests {
    /// A folder for the run files and a service that appends to `starts` and exits with `script`'s status.
    private func withService(_ script: String, _ body: (URL, URL) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-supervise-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let service = folder.appendingPathComponent("motcua-fake")
        try "#!/bin/sh\necho start >>\"$0.starts\"\n\(script)\n".write(to: service, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: service.path)
        try await body(folder, service)
    }

    private func supervise(_ service: URL, runFolder: URL, firstDelay: Int? = nil) throws -> ChildProcess {
        var environment = ProcessInfo.processInfo.environment
        environment["MOTCUA_RESTART_FIRST_DELAY"] = firstDelay.map(String.init)
        return try ChildProcess.start(
            URL(fileURLWithPath: "/bin/bash"),
            [
                "-c", #"source "$1" && is_root() { false; } && RUN_DIR=$2 && supervise fake "$3""#,
                "motcua-supervise-fake", TestDatabase.repositoryRoot + "/deploy/local/lib.sh", runFolder.path,
                service.path,
            ], environment: environment, mergingOutput: true)
    }

    private func starts(_ service: URL) -> Int {
        ((try? String(contentsOf: service.appendingPathExtension("starts"), encoding: .utf8)) ?? "")
            .split(separator: "\n").count
    }

    @Test func aServiceThatDiesIsStartedAgainAfterABackOffThatDoubles() async throws {
        // Fails twice (status 3), then exits 0 as a service asked to stop does.
        try await withService(#"[ "$(wc -l <"$0.starts")" -ge 3 ] && exit 0; exit 3"#) { folder, service in
            let began = ContinuousClock.now
            let supervisor = try supervise(service, runFolder: folder)
            #expect(try await supervisor.exitStatus(within: .seconds(60)) == 0, "\(supervisor.allOutput)")
            #expect(ContinuousClock.now - began >= .seconds(3), "1 s, then 2 s")
            #expect(starts(service) == 3)
            #expect(supervisor.allOutput.contains("motcua-fake exited with status 3; restarting in 1 s"))
            #expect(supervisor.allOutput.contains("motcua-fake exited with status 3; restarting in 2 s"))
            let exit = try String(contentsOf: folder.appendingPathComponent("fake.exit"), encoding: .utf8)
            #expect(exit == "0\n")
        }
    }

    @Test func aStopFileEndsTheSupervisorDuringItsBackOff() async throws {
        try await withService("exit 3") { folder, service in
            // A first back-off of 120 s: the stop must end it, however slowly this test reads the line.
            let supervisor = try supervise(service, runFolder: folder, firstDelay: 120)
            _ = try await supervisor.line(containing: "restarting in 120 s", within: .seconds(60))
            FileManager.default.createFile(atPath: folder.appendingPathComponent("fake.stop").path, contents: nil)
            #expect(try await supervisor.exitStatus(within: .seconds(10)) == 0)
            #expect(starts(service) == 1)
        }
    }
}
