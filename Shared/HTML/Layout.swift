/// The page frame every service's HTML shares: head, header with the unit's name and the service's
/// navigation, the main region, and the footer (ARCHITECTURE §7).
///
/// The markup carries no inline style, script or event handler, so pages can be served with
/// `Response.page`'s strict Content-Security-Policy; the look comes from `Stylesheet`.
public struct Layout: Sendable {
    /// The unit (ward or commune) the pages serve, as shown in the header: "UBND phường Bến Thành".
    public var unitName: String
    /// The service's name in Vietnamese, for the header and the window title: "Tiếp nhận hồ sơ".
    public var serviceName: String
    /// The service's navigation list, in order.
    public var navigation: [NavigationItem]

    public init(unitName: String, serviceName: String, navigation: [NavigationItem] = []) {
        self.unitName = unitName
        self.serviceName = serviceName
        self.navigation = navigation
    }

    /// A whole page: `title` names it (heading and window title), `currentPath` marks its navigation
    /// item with `aria-current="page"`, `main` is the page's own content, placed under its heading.
    public func page(title: String, currentPath: String? = nil, main: HTML) -> HTML {
        """
        <!DOCTYPE html>
        <html lang="vi">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title) – \(serviceName) – \(unitName)</title>
        <link rel="stylesheet" href="\(Stylesheet.path)">
        <link rel="icon" href="data:,">
        </head>
        <body>
        <a class="skip-link" href="#noi-dung">Bỏ qua, đến nội dung chính</a>
        <header class="site-header">
        <div class="wrap">
        <p class="site-unit">\(unitName)</p>
        <p class="site-service">\(serviceName)</p>
        </div>
        \(navigationList(currentPath: currentPath))
        </header>
        <main id="noi-dung" class="wrap" tabindex="-1">
        <h1>\(title)</h1>
        \(main)
        </main>
        <footer class="site-footer">
        <div class="wrap">
        <p>Bộ phận Một cửa – \(unitName)</p>
        </div>
        </footer>
        </body>
        </html>
        """
    }

    private func navigationList(currentPath: String?) -> HTML? {
        guard !navigation.isEmpty else { return nil }
        let items = navigation.map { item -> HTML in
            let current: HTML? = item.path == currentPath ? " aria-current=\"page\"" : nil
            return "<li><a href=\"\(item.path)\"\(current)>\(item.label)</a></li>"
        }
        return """
            <nav class="site-nav" aria-label="Điều hướng chính">
            <ul class="wrap">\(items)</ul>
            </nav>
            """
    }
}
