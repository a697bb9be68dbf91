import Foundation
import ProcessTestSupport

/// A `chromedriver` process on a port it chose, and the WebDriver wire to it (HTTP + JSON).
struct ChromeDriver: Sendable {
    static let driverPath = "/usr/bin/chromedriver"
    static let browserPath = "/usr/bin/chromium"

    private let process: ChildProcess
    let port: Int

    /// Starts chromedriver on a free port (`--port=0`, the port read from its start-up line).
    ///
    /// Fails, never skips, when Debian's `chromium` or `chromium-driver` is missing.
    static func start() async throws -> ChromeDriver {
        for path in [browserPath, driverPath] where !FileManager.default.isExecutableFile(atPath: path) {
            throw BrowserError(
                "\(path) is missing: browser tests need Debian's chromium, chromium-driver and fonts-noto-core "
                    + "(deploy/local/test installs REQUIRED_PACKAGES of deploy/local/lib.sh; or apt-get install "
                    + "chromium chromium-driver fonts-noto-core)")
        }
        let process = try ChildProcess.start(URL(fileURLWithPath: driverPath), ["--port=0"], mergingOutput: true)
        let marker = "started successfully on port "
        let line: String
        do {
            line = try await process.line(containing: marker, within: .seconds(20))
        } catch {
            process.signal(SIGKILL)
            throw BrowserError("chromedriver did not start: \(error)")
        }
        let digits = line[line.range(of: marker)!.upperBound...].prefix { $0.isNumber }
        guard let port = Int(digits) else {
            process.signal(SIGKILL)
            throw BrowserError("chromedriver's start-up line names no port: \(line)")
        }
        return ChromeDriver(process: process, port: port)
    }

    /// Asks chromedriver to quit (it closes any browser left open), and kills it if it has not
    /// exited within five seconds.
    func stop() async {
        _ = try? await LoopbackHTTP.exchange(port: port, method: "GET", path: "/shutdown", body: nil)
        _ = try? await process.exitStatus(within: .seconds(5))
    }

    /// Sends one WebDriver command and returns its `value`, decoded; a refusal becomes a
    /// `BrowserError` with WebDriver's error code and message.
    func call<Value: Decodable>(
        _ method: String, _ path: String, _ body: [String: any Sendable]? = nil, as type: Value.Type = Value.self
    ) async throws -> Value {
        let json = try body.map { Array(try JSONSerialization.data(withJSONObject: $0)) }
        let (status, bytes) = try await LoopbackHTTP.exchange(
            port: port, method: method, path: path, body: json ?? (method == "POST" ? Array("{}".utf8) : nil))
        let data = Data(bytes)
        guard status == 200 else {
            let failure = try? JSONDecoder().decode(Envelope<Failure>.self, from: data).value
            throw BrowserError(
                "WebDriver \(method) \(path) answered \(status): "
                    + (failure.map { "\($0.error): \($0.message)" } ?? String(decoding: data, as: UTF8.self)))
        }
        return try JSONDecoder().decode(Envelope<Value>.self, from: data).value
    }

    /// Every WebDriver answer is `{"value": …}`.
    private struct Envelope<Value: Decodable>: Decodable {
        let value: Value
    }

    /// The `value` of a refused command.
    private struct Failure: Decodable {
        let error: String
        let message: String
    }
}

/// The `value` of a command that answers `null`.
struct NoValue: Decodable {
    init(from decoder: any Decoder) throws {}
}
