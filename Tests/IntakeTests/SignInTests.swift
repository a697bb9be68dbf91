import Foundation
import HTTP
@testable import Intake
import ServiceKit
import ServiceTestSupport
import Testing

/// `POST /api/auth/login`, `refresh` and `logout`.
@Suite struct SignInTests {
    @Test func aRightPasswordGivesATokenEveryServiceAcceptsAndTheSessionCookies() async throws {
        try await withIntake { harness in
            let admin = try await harness.administrator("admin", province: province)
            let response = try await harness.login("admin")
            #expect(response.status == 200)
            let session = try response.decoded(SignedIn.self)
            let principal = try harness.context.tokens.verify(session.token, now: harness.clock.now)
            #expect(principal.id == admin.id && principal.roles == [.provinceAdmin])
            #expect(principal.scope == .province(province) && principal.name == "Quản trị admin")
            #expect(session.expiresAt == harness.clock.now.addingTimeInterval(5 * 60))
            #expect(session.staff == admin)
            let cookie = try #require(response.setCookie(RequireStaff.sessionCookie))
            #expect(cookie.hasPrefix("\(RequireStaff.sessionCookie)=\(session.token); Path=/"))
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
            let refresh = try #require(response.setCookie(SignIn.refreshCookie))
            #expect(refresh.contains("=\(session.refreshToken); Path=/api/auth") && refresh.contains("HttpOnly"))
            #expect(!String(decoding: response.body, as: UTF8.self).contains("argon2"))
            let staff = await harness.request(
                "GET", "/api/staff", headers: ["Authorization": "Bearer \(session.token)"])
            #expect(staff.status == 200)
            let stored = try await harness.database.pool(maxConnections: 1).query(
                "SELECT count(*) FROM intake.staff_refresh_tokens WHERE token_hash = sha256(convert_to($1, 'UTF8'))",
                [session.refreshToken]
            ).single().decode(Int.self, at: 0)
            #expect(stored == 1, "only the refresh token's SHA-256 is kept")
        }
    }

    @Test func aWrongPasswordAndAnUnknownUsernameGetTheSameGeneric401() async throws {
        try await withIntake { harness in
            try await harness.administrator("admin")
            let wrong = try await harness.login("admin", "mật-khẩu-sai-rồi")
            let unknown = try await harness.login("nobody", "mật-khẩu-sai-rồi")
            #expect(wrong.status == 401 && unknown.status == 401)
            let (a, b) = (try #require(wrong.problem), try #require(unknown.problem))
            #expect(a.code == "invalid_credentials" && b.code == a.code && b.detail == a.detail && b.title == a.title)
            #expect(a.detail == "Tên đăng nhập hoặc mật khẩu không đúng.")
        }
    }

    @Test func aRightPasswordResetsTheCountOfFailures() async throws {
        try await withIntake { harness in
            try await harness.administrator("admin")
            for _ in 1...4 { _ = try await harness.login("admin", "mật-khẩu-sai-rồi") }
            #expect(try await harness.login("admin").status == 200)
            for _ in 1...4 { #expect(try await harness.login("admin", "mật-khẩu-sai-rồi").status == 401) }
            #expect(try await harness.login("admin", "mật-khẩu-sai-rồi").status == 401)
            #expect(try await harness.login("admin").status == 429, "five failures in a row start the back-off")
        }
    }

    @Test func aDisabledAccountCannotSignIn() async throws {
        try await withIntake { harness in
            try await harness.administrator("admin", province: province)
            let clerk = try await harness.staff("clerk", roles: [.receptionist])
            let disable = await harness.request(
                "POST", "/api/staff/\(clerk.id)/disable", as: .province(.provinceAdmin, code: province))
            #expect(disable.status == 200)
            #expect(try disable.decoded(StaffMember.self).disabled)
            let response = try await harness.login("clerk")
            #expect(response.status == 403)
            #expect(response.problem?.code == "account_disabled")
            #expect(try await harness.login("clerk", "mật-khẩu-sai-rồi").status == 401)
        }
    }

    @Test func aRefreshGivesANewTokenAndRefreshTokenAndTheUsedOneIsRefused() async throws {
        try await withIntake { harness in
            try await harness.administrator("admin")
            let first = try (try await harness.login("admin")).decoded(SignedIn.self)
            harness.clock.advance(by: 60)
            let refreshed = try await harness.request(
                "POST", "/api/auth/refresh", json: ["refreshToken": first.refreshToken])
            #expect(refreshed.status == 200)
            let second = try refreshed.decoded(SignedIn.self)
            #expect(second.refreshToken != first.refreshToken && second.token != first.token)
            #expect(try harness.context.tokens.verify(second.token, now: harness.clock.now).id == first.staff.id)
            let byCookie = await harness.request(
                "POST", "/api/auth/refresh", headers: ["Cookie": "\(SignIn.refreshCookie)=\(second.refreshToken)"])
            #expect(byCookie.status == 200)
            let reused = try await harness.request(
                "POST", "/api/auth/refresh", json: ["refreshToken": first.refreshToken])
            #expect(reused.status == 401)
            #expect(reused.problem?.code == "refresh_token_invalid")
        }
    }

    @Test func aRefreshTokenExpiresAfterItsLifetime() async throws {
        try await withIntake { harness in
            try await harness.administrator("admin")
            let session = try (try await harness.login("admin")).decoded(SignedIn.self)
            harness.clock.advance(by: 12 * 3600)
            let late = try await harness.request(
                "POST", "/api/auth/refresh", json: ["refreshToken": session.refreshToken])
            #expect(late.status == 401)
        }
    }

    @Test func logoutRevokesTheRefreshTokenAndClearsTheCookies() async throws {
        try await withIntake { harness in
            try await harness.administrator("admin")
            let session = try (try await harness.login("admin")).decoded(SignedIn.self)
            let logout = try await harness.request(
                "POST", "/api/auth/logout", json: ["refreshToken": session.refreshToken])
            #expect(logout.status == 204)
            #expect(logout.setCookie(RequireStaff.sessionCookie)?.contains("Max-Age=0") == true)
            #expect(logout.setCookie(SignIn.refreshCookie)?.contains("Max-Age=0") == true)
            let refresh = try await harness.request(
                "POST", "/api/auth/refresh", json: ["refreshToken": session.refreshToken])
            #expect(refresh.status == 401)
            let audited = try await harness.database.pool(maxConnections: 1).query(
                "SELECT array_agg(action ORDER BY id) FROM intake.audit_trail WHERE subject = $1",
                ["staff:\(session.staff.id)"]
            ).single().decode([String].self, at: 0)
            #expect(audited == ["staff.created", "staff.signed_in", "staff.signed_out"])
        }
    }

    @Test func missingCredentialsAre422NamingEachField() async throws {
        try await withIntake { harness in
            let response = try await harness.request("POST", "/api/auth/login", json: ["username": " "])
            #expect(response.status == 422)
            #expect(response.problem?.errors?.map(\.field) == ["username", "password"])
        }
    }

    @Test func manyAttemptsFromOneAddressAreSlowedDown() async throws {
        try await withIntake { harness in
            for _ in 1...30 { _ = try await harness.login("nobody", "x", from: "203.0.113.9") }
            let refused = try await harness.login("nobody", "x", from: "203.0.113.9")
            #expect(refused.status == 429)
            #expect(try await harness.login("nobody", "x", from: "203.0.113.10").status == 401)
        }
    }

    @Test func withoutASigningKeySignInAnswers503() async throws {
        let harness = try await ServiceHarness.start(IntakeService())
        let response = try await harness.login("admin")
        await harness.close()
        #expect(response.status == 503)
        #expect(response.problem?.code == "sign_in_unavailable")
    }
    @Test func aSignedOutSessionsTokenIsRefusedAtOnce() async throws {
        try await withIntake { harness in
            try await harness.administrator("admin")
            let session = try (try await harness.login("admin")).decoded(SignedIn.self)
            let bearer: HTTPHeaders = ["Authorization": "Bearer \(session.token)"]
            #expect(await harness.request("GET", "/api/staff", headers: bearer).status == 200)
            let logout = try await harness.request("POST", "/api/auth/logout", json: ["refreshToken": session.refreshToken])
            #expect(logout.status == 204)
            let after = await harness.request("GET", "/api/staff", headers: bearer)
            #expect(after.status == 401)
            #expect(after.problem?.code == "session_ended")
        }
    }

    @Test func aBearerSignOutEndsItsSession() async throws {
        try await withIntake { harness in
            try await harness.administrator("admin")
            let session = try (try await harness.login("admin")).decoded(SignedIn.self)
            let bearer: HTTPHeaders = ["Authorization": "Bearer \(session.token)"]
            #expect(await harness.request("POST", "/api/auth/logout", headers: bearer).status == 204)
            #expect(await harness.request("GET", "/api/staff", headers: bearer).status == 401)
            let refresh = try await harness.request("POST", "/api/auth/refresh", json: ["refreshToken": session.refreshToken])
            #expect(refresh.status == 401)
        }
    }

    @Test func aDisabledAccountsTokenIsRefusedAtOnce() async throws {
        try await withIntake { harness in
            try await harness.administrator("admin", province: province)
            let clerk = try await harness.staff("clerk", roles: [.receptionist])
            let session = try (try await harness.login("clerk")).decoded(SignedIn.self)
            let bearer: HTTPHeaders = ["Authorization": "Bearer \(session.token)"]
            #expect(await harness.request("GET", "/api/dossiers", headers: bearer).status == 200)
            let disable = await harness.request(
                "POST", "/api/staff/\(clerk.id)/disable", as: .province(.provinceAdmin, code: province))
            #expect(disable.status == 200)
            let after = await harness.request("GET", "/api/dossiers", headers: bearer)
            #expect(after.status == 401)
            #expect(after.problem?.code == "session_ended")
        }
    }

    @Test func aRefreshTokenUsedTwiceRevokesItsWholeFamily() async throws {
        try await withIntake { harness in
            try await harness.administrator("admin")
            let first = try (try await harness.login("admin")).decoded(SignedIn.self)
            let second = try (try await harness.request(
                "POST", "/api/auth/refresh", json: ["refreshToken": first.refreshToken])).decoded(SignedIn.self)
            let replayed = try await harness.request("POST", "/api/auth/refresh", json: ["refreshToken": first.refreshToken])
            #expect(replayed.status == 401)
            let legitimate = try await harness.request(
                "POST", "/api/auth/refresh", json: ["refreshToken": second.refreshToken])
            #expect(legitimate.status == 401, "the family is revoked: the thief's copy and the owner's alike")
            let bearer: HTTPHeaders = ["Authorization": "Bearer \(second.token)"]
            #expect(await harness.request("GET", "/api/staff", headers: bearer).status == 401)
            let audited = try await harness.database.pool(maxConnections: 1).query(
                "SELECT count(*) FROM intake.audit_trail WHERE action = 'staff.refresh_token_reused'"
            ).single().decode(Int.self, at: 0)
            #expect(audited == 1)
        }
    }

    @Test func aSessionEndsAtItsMaximumLifetimeWhateverTheRefreshes() async throws {
        try await withIntake { harness in
            try await harness.administrator("admin")
            var session = try (try await harness.login("admin")).decoded(SignedIn.self)
            let maximum = TimeInterval(SignInPolicy.standard.sessionLifetime.components.seconds)
            let end = harness.clock.now.addingTimeInterval(maximum)
            for _ in 1..<Int(maximum / 3600) {
                harness.clock.advance(by: 3600)
                session = try (try await harness.request(
                    "POST", "/api/auth/refresh", json: ["refreshToken": session.refreshToken])).decoded(SignedIn.self)
                #expect(session.refreshExpiresAt <= end)
            }
            harness.clock.advance(by: 3600)
            let late = try await harness.request("POST", "/api/auth/refresh", json: ["refreshToken": session.refreshToken])
            #expect(late.status == 401)
        }
    }

    @Test func theJSONSignInRefusesAFormBodyAndABodyWithoutContentType() async throws {
        try await withIntake { harness in
            try await harness.administrator("admin")
            let form = await harness.request(
                "POST", "/api/auth/login", body: Array("username=admin&password=\(password)".utf8),
                headers: ["Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "cross-site"])
            #expect(form.status == 415)
            #expect(form.problem?.code == "unsupported_media_type")
            let untyped = await harness.request(
                "POST", "/api/auth/login",
                body: Array(try JSONEncoder().encode(["username": "admin", "password": password])))
            #expect(untyped.status == 415)
            #expect(untyped.setCookie(RequireStaff.sessionCookie) == nil)
        }
    }

    @Test func aCookieSignOutNeedsTheFormTokenAndOurOrigin() async throws {
        try await withIntake { harness in
            try await harness.administrator("admin")
            let session = try (try await harness.login("admin")).decoded(SignedIn.self)
            let cookies =
                "\(RequireStaff.sessionCookie)=\(session.token); \(SignIn.refreshCookie)=\(session.refreshToken)"
            let csrf = try harness.csrf(session.token)
            let bare = await harness.request("POST", "/api/auth/logout", headers: ["Cookie": cookies])
            #expect(bare.status == 403)
            let crossSite = await harness.request(
                "POST", "/api/auth/logout",
                headers: ["Cookie": cookies, "X-CSRF-Token": csrf, "Sec-Fetch-Site": "cross-site"])
            #expect(crossSite.status == 403)
            let otherOrigin = await harness.request(
                "POST", "/api/auth/logout",
                headers: ["Cookie": cookies, "X-CSRF-Token": csrf, "Origin": "https://evil.example", "Host": "motcua.example"])
            #expect(otherOrigin.status == 403)
            let bearer: HTTPHeaders = ["Authorization": "Bearer \(session.token)"]
            #expect(await harness.request("GET", "/api/staff", headers: bearer).status == 200, "still signed in")
            let genuine = await harness.request(
                "POST", "/api/auth/logout",
                headers: ["Cookie": cookies, "X-CSRF-Token": csrf, "Sec-Fetch-Site": "same-origin"])
            #expect(genuine.status == 204)
            #expect(await harness.request("GET", "/api/staff", headers: bearer).status == 401)
            #expect(await harness.request("GET", "/api/auth/logout", headers: ["Cookie": cookies]).status != 204)
        }
    }

    @Test func aCookieSignedInPostFromAnotherOriginIsRefusedEvenWithTheToken() async throws {
        try await withIntake { harness in
            try await harness.administrator("admin", province: province)
            let clerk = try await harness.staff("clerk", roles: [.receptionist])
            let session = try (try await harness.login("admin")).decoded(SignedIn.self)
            let headers: HTTPHeaders = [
                "Cookie": "\(RequireStaff.sessionCookie)=\(session.token)", "X-CSRF-Token": try harness.csrf(session.token),
                "Origin": "https://evil.example", "Host": "motcua.example",
            ]
            let forged = await harness.request("POST", "/api/staff/\(clerk.id)/disable", headers: headers)
            #expect(forged.status == 403)
            #expect(forged.problem?.code == "csrf_failed")
        }
    }
}
