/// An element of the page the browser shows, found by a CSS selector.
public struct BrowserElement: Sendable, Equatable {
    /// WebDriver's key for an element reference in JSON.
    private static let referenceKey = "element-6066-11e4-a52e-4f735466cecf"

    /// WebDriver's id of the element, stable while the page stays.
    public let id: String
    private let browser: Browser

    init(reference: [String: String], browser: Browser) throws {
        guard let id = reference[Self.referenceKey] else {
            throw BrowserError("not an element reference: \(reference)")
        }
        self.id = id
        self.browser = browser
    }

    /// The text as rendered (what a reader sees), whitespace collapsed.
    public func text() async throws -> String {
        try await call("GET", "/text")
    }

    /// The attribute's value as written in the markup, nil when absent.
    public func attribute(_ name: String) async throws -> String? {
        try await call("GET", "/attribute/\(name)")
    }

    /// The element's tag name, lower case.
    public func tagName() async throws -> String {
        try await call("GET", "/name")
    }

    /// Types `text` into the element as a keyboard would, after what it already holds.
    public func type(_ text: String) async throws {
        _ = try await call("POST", "/value", ["text": text], as: NoValue?.self)
    }

    /// Empties an input or text area.
    public func clear() async throws {
        _ = try await call("POST", "/clear", as: NoValue?.self)
    }

    /// Clicks the element; a submit button sends its form and this returns once the answer has loaded.
    public func click() async throws {
        _ = try await call("POST", "/click", as: NoValue?.self)
    }

    public static func == (left: BrowserElement, right: BrowserElement) -> Bool { left.id == right.id }

    private func call<Value: Decodable>(
        _ method: String, _ path: String, _ body: [String: any Sendable]? = nil, as type: Value.Type = Value.self
    ) async throws -> Value {
        try await browser.call(method, "/element/\(id)\(path)", body, as: type)
    }
}
