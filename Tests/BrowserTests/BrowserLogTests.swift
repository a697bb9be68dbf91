import BrowserTestSupport
import Testing

/// The browser log the page tests read really reports what the strict policy blocks, so an empty
/// log means a clean page rather than a deaf check.
@Suite struct BrowserLogTests {
    @Test func inlineStyleBlockedByThePolicyShowsUpInTheLog() async throws {
        try await DemoSite.serve { port in
            try await withBrowser { browser in
                try await browser.open("http://127.0.0.1:\(port)/inline-style")
                let severe = try await browser.log().filter(\.isSevere)
                #expect(severe.contains { $0.message.contains("Content Security Policy") }, "log: \(severe)")
            }
        }
    }
}
