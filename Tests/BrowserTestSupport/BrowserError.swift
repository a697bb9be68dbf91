/// Why driving the browser failed: a missing browser, a driver that did not start, or a WebDriver
/// command the browser refused (with WebDriver's own error code and message).
public struct BrowserError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
