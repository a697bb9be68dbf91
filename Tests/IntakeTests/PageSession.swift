import Foundation
import HTTP
import Intake
import ServiceKit
import ServiceTestSupport

/// A browser's side of intake's pages, in process: the session cookie of a signed-in staff member
/// (or none, for a citizen), forms posted as `application/x-www-form-urlencoded` with the CSRF token
/// the last page gave.
struct PageSession {
    let harness: ServiceHarness<IntakeService>
    let cookie: String?

    /// Signed in as `principal` with the session cookie, as a browser after sign-in.
    init(_ harness: ServiceHarness<IntakeService>, as principal: TestPrincipal? = nil) {
        self.harness = harness
        cookie = principal.map { "\(RequireStaff.sessionCookie)=\(harness.token(for: $0))" }
    }

    /// Signed in with the session cookie `token` (one a sign-in or a renewal set).
    init(_ harness: ServiceHarness<IntakeService>, token: String) {
        self.harness = harness
        cookie = "\(RequireStaff.sessionCookie)=\(token)"
    }

    /// Signs `username` in on `/dang-nhap`, as a browser does, and keeps the session cookie it sets.
    static func signIn(_ harness: ServiceHarness<IntakeService>, _ username: String) async throws -> PageSession {
        let signedIn = await harness.request(
            "POST", "/dang-nhap", body: Array(encode([("username", username), ("password", password)]).utf8),
            headers: ["Content-Type": "application/x-www-form-urlencoded"])
        guard signedIn.status == 303, let token = signedIn.sessionToken else { throw Unexpected(signedIn) }
        return PageSession(harness, token: token)
    }

    /// The session that goes on with the cookie `response` renewed, if it did.
    func following(_ response: Response) -> PageSession {
        response.sessionToken.map { PageSession(harness, token: $0) } ?? self
    }

    func get(_ path: String, headers: HTTPHeaders = [:]) async -> Response {
        var headers = headers
        if let cookie { headers["Cookie"] = cookie }
        return await harness.request("GET", path, headers: headers)
    }

    /// Posts `fields` to `path`, adding the `_csrf` token of `page` when it has one.
    func post(_ path: String, _ fields: [(String, String)], from page: Response? = nil) async -> Response {
        var headers: HTTPHeaders = ["Content-Type": "application/x-www-form-urlencoded"]
        if let cookie { headers["Cookie"] = cookie }
        let token = page.flatMap { Self.csrfToken(in: $0.html) }
        let all = (token.map { [("_csrf", $0)] } ?? []) + fields
        return await harness.request("POST", path, body: Array(Self.encode(all).utf8), headers: headers)
    }

    /// The value of the first hidden `_csrf` field of a page.
    static func csrfToken(in html: String) -> String? {
        guard let start = html.range(of: "name=\"_csrf\" value=\"") else { return nil }
        return String(html[start.upperBound...].prefix { $0 != "\"" })
    }

    static func encode(_ fields: [(String, String)]) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return fields.map { name, value in
            "\(name.addingPercentEncoding(withAllowedCharacters: allowed)!)=\(value.addingPercentEncoding(withAllowedCharacters: allowed)!)"
        }.joined(separator: "&")
    }
}

extension Response {
    /// The body as text.
    var html: String { String(decoding: body, as: UTF8.self) }

    /// The session cookie's value this response sets, if it sets one.
    var sessionToken: String? {
        setCookie(RequireStaff.sessionCookie).map {
            String($0.dropFirst(RequireStaff.sessionCookie.count + 1).prefix { $0 != ";" })
        }
    }

    /// The `Location` of a redirect.
    var location: String? { headers["Location"] }
}

/// The fields of the receive form for a valid birth registration, both components on paper.
func receiveFields(name: String = "Nguyễn Văn An", phone: String = "0912345678") -> [(String, String)] {
    [
        ("procedureCode", "1.001193"), ("channel", "counter"), ("applicant.fullName", name),
        ("applicant.cccd", "001203004567"), ("applicant.phone", phone), ("applicant.email", ""),
        ("applicant.address", "12 Hàng Bạc"), ("components.TK", "paper"), ("components.TK.documentId", ""),
        ("components.GCS", "document"), ("components.GCS.documentId", "doc-1"),
    ]
}
