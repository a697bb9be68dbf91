import Foundation

/// A headless Chromium at a phone's width (390 × 844), driven over WebDriver by `chromedriver`.
///
/// ```swift
/// try await withBrowser { browser in
///     try await browser.open("http://127.0.0.1:\(port)/demo")
///     try await browser.element("#f-applicant-phone").type("12345")
///     try await browser.element("button[type=submit]").click()
///     let message = try await browser.waitForElement(".field-error")
///     try await browser.saveScreenshot("demoFormShowsPhoneError")
/// }
/// ```
public struct Browser: Sendable {
    private let driver: ChromeDriver
    private let session: String

    init(driver: ChromeDriver, session: String) {
        self.driver = driver
        self.session = session
    }

    /// The arguments Chromium starts with: headless, as root in a container, at a phone's size.
    static let chromiumArguments = ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=390,844"]

    /// A phone's screen, emulated: Chromium keeps a window at least 500 px wide whatever
    /// `--window-size` says, so the 390 px viewport (and the page's viewport meta) comes from
    /// chromedriver's mobile emulation.
    static let phoneScreen: [String: any Sendable] = [
        "deviceMetrics": ["width": 390, "height": 844, "pixelRatio": 1] as [String: any Sendable]
    ]

    /// Goes to `url` and returns once the page has loaded.
    public func open(_ url: String) async throws {
        _ = try await call("POST", "/url", ["url": url], as: NoValue?.self)
    }

    /// Sets a cookie for the site of the page open now (WebDriver's add-cookie), as a sign-in would:
    /// a test signs a staff member in by giving the browser the session cookie.
    public func addCookie(name: String, value: String, path: String = "/") async throws {
        let cookie: [String: any Sendable] = ["name": name, "value": value, "path": path, "httpOnly": true]
        _ = try await call("POST", "/cookie", ["cookie": cookie], as: NoValue?.self)
    }

    /// The URL the browser shows now (after redirects and form posts).
    public func currentURL() async throws -> String {
        try await call("GET", "/url")
    }

    /// The page's `<title>`.
    public func title() async throws -> String {
        try await call("GET", "/title")
    }

    /// The page's markup as the browser holds it now.
    public func pageSource() async throws -> String {
        try await call("GET", "/source")
    }

    /// The first element matching the CSS selector; throws when there is none.
    public func element(_ selector: String) async throws -> BrowserElement {
        let reference: [String: String] = try await call(
            "POST", "/element", ["using": "css selector", "value": selector])
        return try BrowserElement(reference: reference, browser: self)
    }

    /// Every element matching the CSS selector, in document order (none is not an error).
    public func elements(_ selector: String) async throws -> [BrowserElement] {
        let references: [[String: String]] = try await call(
            "POST", "/elements", ["using": "css selector", "value": selector])
        return try references.map { try BrowserElement(reference: $0, browser: self) }
    }

    /// The first element matching the selector, waiting up to `limit` for one to appear.
    public func waitForElement(_ selector: String, within limit: Duration = .seconds(10)) async throws
        -> BrowserElement
    {
        let deadline = ContinuousClock.now + limit
        while true {
            if let found = try await elements(selector).first { return found }
            guard ContinuousClock.now < deadline else {
                throw BrowserError("no element matches \(selector) after \(limit) on \(try await currentURL())")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The element that has the keyboard focus.
    public func focusedElement() async throws -> BrowserElement {
        let reference: [String: String] = try await call("GET", "/element/active")
        return try BrowserElement(reference: reference, browser: self)
    }

    /// Presses Tab, moving the focus as a keyboard user would.
    public func pressTab() async throws {
        let tab = "\u{E004}"
        let actions: [String: any Sendable] = [
            "actions": [
                [
                    "type": "key", "id": "keyboard",
                    "actions": [["type": "keyDown", "value": tab], ["type": "keyUp", "value": tab]],
                ] as [String: any Sendable]
            ]
        ]
        _ = try await call("POST", "/actions", actions, as: NoValue?.self)
    }

    /// The console lines logged since the previous call (or since the session began): console
    /// errors, failed loads, Content-Security-Policy violations.
    public func log() async throws -> [BrowserLogEntry] {
        try await call("POST", "/se/log", ["type": "browser"])
    }

    /// Saves what the window shows as `.build/test-artifacts/browser/<name>.png`, prints the path and
    /// returns it.
    @discardableResult
    public func saveScreenshot(_ name: String) async throws -> String {
        let encoded: String = try await call("GET", "/screenshot")
        guard let png = Data(base64Encoded: encoded) else { throw BrowserError("the screenshot is not base64") }
        let folder = Self.artifactsFolder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("\(name).png")
        try png.write(to: file)
        print("browser screenshot: \(file.path)")
        return file.path
    }

    /// A command of this session (`path` after `/session/{id}`).
    func call<Value: Decodable>(
        _ method: String, _ path: String, _ body: [String: any Sendable]? = nil, as type: Value.Type = Value.self
    ) async throws -> Value {
        try await driver.call(method, "/session/\(session)\(path)", body, as: type)
    }

    /// `.build/test-artifacts/browser` of the package whose test binary is running.
    private static func artifactsFolder() -> URL {
        var folder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        while folder.path != "/" && folder.lastPathComponent != ".build" {
            folder.deleteLastPathComponent()
        }
        if folder.path == "/" {
            folder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build")
        }
        return folder.appendingPathComponent("test-artifacts/browser")
    }
}

/// Runs `body` with a new headless Chromium session, then always ends the session and chromedriver,
/// whether `body` returned or threw.
public func withBrowser<Result>(_ body: (Browser) async throws -> Result) async throws -> Result {
    let driver = try await ChromeDriver.start()
    let browser: Browser
    do {
        let capabilities: [String: any Sendable] = [
            "browserName": "chrome",
            "goog:loggingPrefs": ["browser": "ALL"],
            "goog:chromeOptions": [
                "binary": ChromeDriver.browserPath, "args": Browser.chromiumArguments,
                "mobileEmulation": Browser.phoneScreen,
            ] as [String: any Sendable],
        ]
        let created: NewSession = try await driver.call(
            "POST", "/session", ["capabilities": ["alwaysMatch": capabilities]])
        browser = Browser(driver: driver, session: created.sessionId)
    } catch {
        await driver.stop()
        throw error
    }
    let result: Result
    do {
        result = try await body(browser)
    } catch {
        await end(browser, driver)
        throw error
    }
    await end(browser, driver)
    return result
}

private func end(_ browser: Browser, _ driver: ChromeDriver) async {
    _ = try? await browser.call("DELETE", "", as: NoValue?.self)
    await driver.stop()
}

/// The answer to `POST /session`.
private struct NewSession: Decodable {
    let sessionId: String
}
