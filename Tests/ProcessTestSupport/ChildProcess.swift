import Foundation
import Synchronization

/// A program a test starts as a child process (a built executable, a PostgreSQL tool), with its
/// standard output and standard error collected.
///
/// Each pipe is read by a thread of its own with blocking `read(2)`: `readabilityHandler`'s
/// dispatch read sources crash libdispatch's event loop on Linux now and then
/// (`_dispatch_event_loop_drain`, seen here while children were being killed; swift-subprocess
/// moved off DispatchIO for the same crash).
public final class ChildProcess: Sendable {
    private let process: Process
    private let errors: CollectedText
    private let output: CollectedText

    private init(process: Process, errors: CollectedText, output: CollectedText) {
        self.process = process
        self.errors = errors
        self.output = output
    }

    /// An executable of this package, from the build folder the test binary runs from.
    public static func built(_ product: String) -> URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent(product)
    }

    /// Starts `executable` in `/` (a folder every OS user can enter). With `mergingOutput`, standard
    /// output goes to the same pipe as standard error, interleaved as written.
    public static func start(
        _ executable: URL, _ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
        mergingOutput: Bool = false
    ) throws -> ChildProcess {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: "/")
        let errors = CollectedText()
        let output = mergingOutput ? errors : CollectedText()
        let errorPipe = Pipe()
        let outputPipe = mergingOutput ? errorPipe : Pipe()
        process.standardError = errorPipe
        process.standardOutput = outputPipe
        try process.run()
        errors.collect(errorPipe)
        if !mergingOutput { output.collect(outputPipe) }
        return ChildProcess(process: process, errors: errors, output: output)
    }

    public var processIdentifier: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }
    public var standardError: String { errors.text }
    public var standardOutput: String { output.text }
    /// Standard error, then standard output when they were not merged: for failure messages.
    public var allOutput: String { errors === output ? errors.text : errors.text + output.text }

    public func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// The exit status once the process ends (the signal's number if a signal ended it); after
    /// `limit` the process is killed and this throws.
    public func exitStatus(within limit: Duration) async throws -> Int32 {
        let deadline = ContinuousClock.now + limit
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                kill(process.processIdentifier, SIGKILL)
                throw ChildProcessFailure("pid \(processIdentifier) still running after \(limit); output:\n\(allOutput)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        // The process is gone; its last words may still be in the pipes: read them to the end.
        let drained = ContinuousClock.now + .seconds(5)
        while !(errors.isFinished && output.isFinished), ContinuousClock.now < drained {
            try await Task.sleep(for: .milliseconds(10))
        }
        return process.terminationStatus
    }

    /// The first line of standard error (or of the merged output) containing `text`, waiting up
    /// to `limit` for it; throws if the process exits or the time runs out first.
    @discardableResult
    public func line(containing text: String, within limit: Duration) async throws -> String {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            let running = process.isRunning
            if let line = errors.text.split(separator: "\n").first(where: { $0.contains(text) }) { return String(line) }
            guard running else { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw ChildProcessFailure("pid \(processIdentifier): no line with \(text); output:\n\(allOutput)")
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
}

/// A child process that did not do what the test waited for.
public struct ChildProcessFailure: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Text read from a pipe by a thread of its own until end of file.
private final class CollectedText: Sendable {
    private let storage = Mutex(Data())
    private let finished = Atomic<Bool>(false)

    /// Whether the pipe reached end of file (the process and its children closed it).
    var isFinished: Bool { finished.load(ordering: .acquiring) }

    func collect(_ pipe: Pipe) {
        let reading = pipe.fileHandleForReading
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 16_384)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(reading.fileDescriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                storage.withLock { $0.append(contentsOf: buffer[0..<count]) }
            }
            try? reading.close()
            finished.store(true, ordering: .releasing)
        }
        thread.start()
    }

    var text: String { String(decoding: storage.withLock { $0 }, as: UTF8.self) }
}
