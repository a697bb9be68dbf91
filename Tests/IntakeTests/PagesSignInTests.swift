import Foundation
import HTTP
@testable import Intake
import ServiceKit
import ServiceTestSupport
import Testing

/// `/dang-nhap`: the sign-in page shares `POST /api/auth/login`'s code and hands its cookies on.
@Suite struct PagesSignInTests {
    private func form(_ fields: [String: String]) -> [UInt8] {
        Array(IntakePages.query(fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }).utf8)
    }

    @Test func aReceptionistSignsInOnThePageAndLandsOnTheQueueWithTheSessionCookie() async throws {
        try await withIntake { harness async throws in
            try await harness.administrator("quantri")
            try await harness.staff("quay1", roles: [.receptionist])
            let page = await harness.request("GET", "/dang-nhap?next=/ho-so/tiep-nhan")
            #expect(page.status == 200)
            #expect(String(decoding: page.body, as: UTF8.self).contains("name=\"password\""))
            let headers: HTTPHeaders = ["Content-Type": "application/x-www-form-urlencoded"]
            let wrong = await harness.request(
                "POST", "/dang-nhap",
                body: form(["username": "quay1", "password": "sai-mat-khau-roi", "next": "/ho-so"]),
                headers: headers)
            #expect(wrong.status == 401)
            let html = String(decoding: wrong.body, as: UTF8.self)
            #expect(html.contains("Tên đăng nhập hoặc mật khẩu không đúng"))
            #expect(html.contains("aria-invalid=\"true\""))
            let right = await harness.request(
                "POST", "/dang-nhap",
                body: form(["username": "quay1", "password": password, "next": "/ho-so/tiep-nhan"]), headers: headers)
            #expect(right.status == 303)
            #expect(right.headers["Location"] == "/ho-so/tiep-nhan")
            let session = try #require(right.setCookie(RequireStaff.sessionCookie))
            #expect(session.contains("HttpOnly"))
            let token = String(session.dropFirst(RequireStaff.sessionCookie.count + 1).prefix { $0 != ";" })
            let queue = await harness.request(
                "GET", "/ho-so", headers: ["Cookie": "\(RequireStaff.sessionCookie)=\(token)"])
            #expect(queue.status == 200)
        }
    }

    @Test func theNextPageIsAlwaysOneOfOurs() {
        #expect(SignInPage.safeNext("//evil.example/x") == "/ho-so")
        #expect(SignInPage.safeNext("https://evil.example") == "/ho-so")
        #expect(SignInPage.safeNext("/ho-so/H01") == "/ho-so/H01")
        #expect(SignInPage.safeNext("/ho-so/tiep-nhan?x=1") == "/ho-so/tiep-nhan?x=1")
        #expect(SignInPage.safeNext("/") == "/")
        for away in ["/\t/evil.example/x", "/\n/evil.example", "/\\evil.example", "/\u{0}/evil.example", "\t//evil.example", ""] {
            #expect(SignInPage.safeNext(away) == "/ho-so", "\(away.debugDescription)")
        }
    }

    @Test func aNextWithAnEncodedTabNeverLeavesTheSite() async throws {
        try await withIntake { harness async throws in
            try await harness.administrator("quantri")
            let page = await harness.request("GET", "/dang-nhap?next=/%09/evil.example/x")
            #expect(!page.html.contains("evil.example"))
            let signedIn = await harness.request(
                "POST", "/dang-nhap",
                body: form(["username": "quantri", "password": password, "next": "/\t/evil.example/x"]),
                headers: ["Content-Type": "application/x-www-form-urlencoded"])
            #expect(signedIn.status == 303)
            #expect(signedIn.headers["Location"] == "/ho-so")
        }
    }
}
