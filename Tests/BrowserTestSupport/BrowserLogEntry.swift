/// One line of the browser's console log as chromedriver reports it: console errors, failed loads
/// and Content-Security-Policy violations all arrive here with level `SEVERE`.
public struct BrowserLogEntry: Sendable, Decodable, CustomStringConvertible {
    /// `SEVERE`, `WARNING`, `INFO` or `DEBUG`.
    public let level: String
    /// The text, starting with the URL of the page or script it came from.
    public let message: String
    /// Where it came from: `console-api`, `network`, `security`, `javascript`, …
    public let source: String?

    public var isSevere: Bool { level == "SEVERE" }

    public var description: String { "[\(level) \(source ?? "-")] \(message)" }
}
