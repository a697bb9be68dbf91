import Glibc
import Synchronization

/// A JSON-lines logger writing to standard error, one object per line.
///
/// Every string that goes into a line passes through `PersonalData.mask`, so a CCCD number or a
/// phone number that slips into a message or a field is never written in clear.
public struct Logger: Sendable {
    /// How much a line matters; lines below the logger's level are dropped.
    public enum Level: Int, Sendable, Comparable, CustomStringConvertible {
        case debug, info, warning, error

        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
        public var description: String { ["debug", "info", "warning", "error"][rawValue] }
    }

    public let service: String
    public let level: Level
    private let sink: LogSink
    /// Fields every line of this logger carries (a request id, a consumer), under the line's own.
    public private(set) var metadata: [String: LogValue] = [:]

    /// A logger for `service` writing to standard error.
    public init(service: String, level: Level = .info) {
        self.init(service: service, level: level, sink: .standardError)
    }

    /// A logger writing to `sink` (tests capture lines this way).
    public init(service: String, level: Level, sink: LogSink) {
        self.service = service
        self.level = level
        self.sink = sink
    }

    /// This logger with `fields` added to every line it writes (a request's id, a consumer's name).
    public func with(_ fields: [String: LogValue]) -> Logger {
        var logger = self
        logger.metadata.merge(fields) { $1 }
        return logger
    }

    public func debug(_ message: String, _ fields: [String: LogValue] = [:]) { log(.debug, message, fields) }
    public func info(_ message: String, _ fields: [String: LogValue] = [:]) { log(.info, message, fields) }
    public func warning(_ message: String, _ fields: [String: LogValue] = [:]) { log(.warning, message, fields) }
    public func error(_ message: String, _ fields: [String: LogValue] = [:]) { log(.error, message, fields) }

    public func log(_ level: Level, _ message: String, _ fields: [String: LogValue]) {
        guard level >= self.level else { return }
        var line = "{\"ts\":\"\(Self.timestamp())\",\"level\":\"\(level)\",\"service\":"
        JSONText.appendString(service, to: &line)
        line += ",\"msg\":"
        JSONText.appendString(PersonalData.mask(message), to: &line)
        let all = metadata.isEmpty ? fields : metadata.merging(fields) { $1 }
        for key in all.keys.sorted() {
            line += ","
            JSONText.appendString(key, to: &line)
            line += ":"
            all[key]!.append(to: &line)
        }
        line += "}\n"
        sink.write(line)
    }

    private static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let millis = now.tv_nsec / 1_000_000
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(millis), 3))Z"
    }
}

/// A value in a log line's fields.
public enum LogValue: Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }

    func append(to line: inout String) {
        switch self {
        case .string(let text): JSONText.appendString(PersonalData.mask(text), to: &line)
        case .int(let value): line += String(value)
        case .double(let value): line += value.isFinite ? String(value) : "null"
        case .bool(let value): line += value ? "true" : "false"
        }
    }
}

/// Where log lines go: standard error in services, memory in tests.
public final class LogSink: Sendable {
    private let capturing: Bool
    private let captured = Mutex<[String]>([])

    private init(capturing: Bool) { self.capturing = capturing }

    public static let standardError = LogSink(capturing: false)
    /// A sink that keeps lines in memory; read them with `lines`.
    public static func memory() -> LogSink { LogSink(capturing: true) }

    public var lines: [String] { captured.withLock { $0 } }

    func write(_ line: String) {
        if capturing {
            captured.withLock { $0.append(line) }
        } else {
            var bytes = Array(line.utf8)
            bytes.withUnsafeMutableBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Glibc.write(2, buffer.baseAddress! + offset, buffer.count - offset)
                    if written <= 0 { break }
                    offset += written
                }
            }
        }
    }
}

/// Escaping of strings into JSON text, shared by the logger and the metrics.
enum JSONText {
    static func appendString(_ text: String, to line: inout String) {
        line += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": line += "\\\""
            case "\\": line += "\\\\"
            case "\n": line += "\\n"
            case "\r": line += "\\r"
            case "\t": line += "\\t"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                line += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: line.unicodeScalars.append(scalar)
            }
        }
        line += "\""
    }
}
