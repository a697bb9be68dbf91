import HTTP

extension Response {
    /// The Content-Security-Policy of every page: the shared stylesheet and images from the service
    /// itself (and `data:` images, such as a QR code), forms posted only back to it, no script at
    /// all, no framing, no `<base>`.
    public static let pageContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    /// A server-rendered page with the headers every page carries: the strict Content-Security-Policy,
    /// `nosniff`, a same-origin referrer and `no-store` (pages show personal data, so no cache keeps them).
    ///
    /// A form answered with field errors is the same page re-rendered with status 422.
    public static func page(_ html: HTML, status: Int = 200) -> Response {
        Response(
            status: status,
            headers: [
                "Content-Type": "text/html; charset=utf-8",
                "Content-Security-Policy": pageContentSecurityPolicy,
                "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "same-origin",
                "Cache-Control": "no-store",
            ],
            body: Array(html.rendered.utf8))
    }
}
