import Foundation
import Synchronization

/// A child process (a built `motcua-bench`, or a PostgreSQL tool), its standard error collected.
final class ChildProcess: Sendable {
    private let process: Process
    private let errors: TextBuffer

    private init(process: Process, errors: TextBuffer) {
        self.process = process
        self.errors = errors
    }

    /// Starts `motcua-bench` from the build folder the test binary runs from.
    static func bench(_ arguments: [String], environment: [String: String]) throws -> ChildProcess {
        let buildFolder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        return try start(buildFolder.appendingPathComponent("motcua-bench"), arguments, environment: environment)
    }

    /// Starts `executable` in `/` (a folder every OS user can enter).
    static func start(
        _ executable: URL, _ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> ChildProcess {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: "/")
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = pipe
        let errors = TextBuffer()
        pipe.fileHandleForReading.readabilityHandler = { handle in errors.append(handle.availableData) }
        try process.run()
        return ChildProcess(process: process, errors: errors)
    }

    var processIdentifier: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    /// Standard error and standard output, interleaved as they came.
    var output: String { errors.text }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// The exit status once the process ends (the signal's number if a signal ended it), or an
    /// error after `limit`, the process then killed.
    func exitStatus(within limit: Duration) async throws -> Int32 {
        let deadline = ContinuousClock.now + limit
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                kill(process.processIdentifier, SIGKILL)
                throw TestFailure("pid \(processIdentifier) still running after \(limit); output:\n\(output)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return process.terminationStatus
    }

    /// Waits for a line of output containing `text`.
    func waitForLine(containing text: String, within limit: Duration) async throws {
        try await eventually("a line with \(text) from pid \(processIdentifier)", within: limit) {
            guard process.isRunning || output.contains(text) else {
                throw TestFailure("pid \(processIdentifier) exited before printing \(text); output:\n\(output)")
            }
            return output.contains(text)
        }
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
}

/// Text appended from a pipe's reader thread and read from tests.
final class TextBuffer: Sendable {
    private let storage = Mutex("")

    func append(_ data: Data) { storage.withLock { $0 += String(decoding: data, as: UTF8.self) } }
    var text: String { storage.withLock { $0 } }
}
