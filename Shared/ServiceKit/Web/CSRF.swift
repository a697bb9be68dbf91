import HTTP

/// Cross-site request forgery protection for cookie-signed-in pages.
///
/// The token is a one-way function of the session token: a page of ours embeds it in its forms,
/// while another site can neither read the cookie nor the page, so cannot produce it. Unsafe
/// methods carry it in the `_csrf` form field or the `X-CSRF-Token` header; a browser that says
/// the request is cross-site (`Sec-Fetch-Site`) is refused outright.
enum CSRF {
    /// The form field and header that carry the token.
    static let formField = "_csrf"
    static let header = "X-CSRF-Token"

    static func token(for sessionToken: String) -> String {
        Base64URL.encode(Sodium.sha256(Array(("motcua-csrf\u{0}" + sessionToken).utf8)))
    }

    /// Refuses an unsafe request made with the session cookie that lacks the right token.
    static func check(_ request: Request, sessionToken: String) throws(ProblemError) {
        guard !["GET", "HEAD", "OPTIONS"].contains(request.method) else { return }
        if request.headers["Sec-Fetch-Site"] == "cross-site" { throw refused }
        let expected = token(for: sessionToken)
        let sent = request.headers[header] ?? (try? request.form())?[formField]
        guard let sent, constantTimeEqual(Array(sent.utf8), Array(expected.utf8)) else { throw refused }
    }

    static let refused = ProblemError.forbidden(
        code: "csrf_failed",
        detail: "Biểu mẫu đã hết hạn hoặc không được gửi từ trang của hệ thống. Vui lòng tải lại trang và gửi lại.")

    private static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
