import HTTP

/// Cross-site request forgery protection for cookie-signed-in pages.
///
/// The token is a one-way function of the sign-in session the session token names (`sid`), or of
/// the session token itself when it names none: a page of ours embeds it in its forms, while
/// another site can neither read the cookie nor the page, so cannot produce it. Being the
/// session's, it survives the renewal of the session cookie (a form left open in another tab
/// still posts). Unsafe
/// methods carry it in the `_csrf` form field or the `X-CSRF-Token` header; a request a browser
/// says comes from another site (`Sec-Fetch-Site`, else `Origin`) is refused outright.
public enum CSRF {
    /// The form field and header that carry the token.
    static let formField = "_csrf"
    static let header = "X-CSRF-Token"

    /// The token the pages of `principal`, signed in with `sessionToken` (verified), carry.
    public static func token(for principal: StaffPrincipal, sessionToken: String) -> String {
        Base64URL.encode(Sodium.sha256(Array(("motcua-csrf\u{0}" + (principal.session ?? sessionToken)).utf8)))
    }

    /// Refuses an unsafe request made with the session cookie that lacks the right token.
    public static func check(_ request: Request, principal: StaffPrincipal, sessionToken: String) throws(ProblemError) {
        guard !["GET", "HEAD", "OPTIONS"].contains(request.method) else { return }
        try requireSameOrigin(request)
        let expected = token(for: principal, sessionToken: sessionToken)
        let sent = request.headers[header] ?? (try? request.form())?[formField]
        guard let sent, constantTimeEqual(Array(sent.utf8), Array(expected.utf8)) else { throw refused }
    }

    /// Refuses a request a browser says another site made: `Sec-Fetch-Site` other than
    /// `same-origin` or `none` (typed by the user), or, from a browser without it, an `Origin`
    /// whose host is not the request's `Host`. A client that sends neither (not a browser) passes.
    public static func requireSameOrigin(_ request: Request) throws(ProblemError) {
        if let site = request.headers["Sec-Fetch-Site"] {
            guard site == "same-origin" || site == "none" else { throw refused }
        } else if let origin = request.headers["Origin"] {
            guard let host = request.headers["Host"], hostname(origin.split(separator: "/").dropFirst().first ?? "")
                == hostname(host[...]), !host.isEmpty
            else { throw refused }
        }
    }

    /// `Example.org:8080` → `example.org` (the front door passes `Host` without its port).
    private static func hostname(_ authority: Substring) -> String {
        (authority.hasPrefix("[") ? authority.prefix { $0 != "]" } : authority.prefix { $0 != ":" }).lowercased()
    }

    public static let refused = ProblemError.forbidden(
        code: "csrf_failed",
        detail: "Biểu mẫu đã hết hạn hoặc không được gửi từ trang của hệ thống. Vui lòng tải lại trang và gửi lại.")

    private static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
