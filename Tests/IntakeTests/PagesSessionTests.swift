import Foundation
import HTTP
@testable import Intake
import ServiceKit
import ServiceTestSupport
import Testing

/// A page's sign-in lasts as long as its session while the pages are used: intake renews the
/// session cookie whose 5-minute token expired, checking the session as on every request.
@Suite struct PagesSessionTests {
    private func receptionistSignsIn(_ harness: ServiceHarness<IntakeService>) async throws -> PageSession {
        try await harness.administrator("quantri", province: province)
        try await harness.staff("quay1", roles: [.receptionist])
        return try await PageSession.signIn(harness, "quay1")
    }

    @Test func aFormTypedForSixMinutesStillPostsAndTheAnswerRenewsTheSessionCookie() async throws {
        try await withIntake { harness async throws in
            let session = try await receptionistSignsIn(harness)
            let form = await session.get("/ho-so/tiep-nhan?thu-tuc=1.001193")
            #expect(form.status == 200)
            #expect(form.sessionToken == nil, "a token still valid is not renewed")
            harness.clock.advance(by: 6 * 60)
            let saved = await session.post("/ho-so/tiep-nhan", receiveFields(), from: form)
            #expect(saved.status == 303, "\(saved.html.prefix(600))")
            #expect(saved.location?.hasPrefix("/ho-so/H01.40.23-") == true)
            let cookie = try #require(saved.setCookie(RequireStaff.sessionCookie))
            #expect(cookie.contains("HttpOnly") && cookie.contains("Max-Age=1800"))
            let renewed = try #require(saved.sessionToken)
            let principal = try harness.context.tokens.verify(renewed, now: harness.clock.now)
            let old = try harness.context.tokens.verify(
                try #require(session.cookie?.split(separator: "=", maxSplits: 1).last.map(String.init)),
                now: harness.clock.now, allowingExpiry: .seconds(3600))
            #expect(principal.session == old.principal.session && principal.id == old.principal.id)
            // A form opened before the renewal (another tab) still posts: the form token is the session's.
            harness.clock.advance(by: 60)
            let next = session.following(saved)
            let other = await next.post("/ho-so/tiep-nhan", receiveFields(name: "Trần Văn Bình"), from: form)
            #expect(other.status == 303)
            #expect(other.sessionToken == nil)
        }
    }

    @Test func anExpiredPageCookieOfASignedOutOrDisabledAccountIsRefused() async throws {
        try await withIntake { harness async throws in
            let signedOut = try await receptionistSignsIn(harness)
            let clerk = try await harness.staff("quay2", roles: [.receptionist])
            let disabled = try await PageSession.signIn(harness, "quay2")
            let outForm = await signedOut.get("/ho-so/tiep-nhan?thu-tuc=1.001193")
            let disabledForm = await disabled.get("/ho-so/tiep-nhan?thu-tuc=1.001193")
            let token = try #require(signedOut.cookie?.split(separator: "=", maxSplits: 1).last.map(String.init))
            let logout = await harness.request(
                "POST", "/api/auth/logout",
                headers: ["Cookie": try #require(signedOut.cookie), "X-CSRF-Token": try harness.csrf(token)])
            #expect(logout.status == 204)
            let off = await harness.request(
                "POST", "/api/staff/\(clerk.id)/disable", as: .province(.provinceAdmin, code: province))
            #expect(off.status == 200)
            harness.clock.advance(by: 6 * 60)
            for (session, form) in [(signedOut, outForm), (disabled, disabledForm)] {
                let refused = await session.post("/ho-so/tiep-nhan", receiveFields(), from: form)
                #expect(refused.status == 401)
                #expect(refused.html.contains("Phiên đăng nhập đã kết thúc"))
                #expect(refused.sessionToken == nil)
            }
        }
    }

    @Test func afterTheSessionsMaximumLifetimeThePageAsksToSignInAgain() async throws {
        try await withIntake { harness async throws in
            var session = try await receptionistSignsIn(harness)
            let maximum = TimeInterval(SignInPolicy.standard.sessionLifetime.components.seconds)
            let end = harness.clock.now.addingTimeInterval(maximum)
            // Used every 20 minutes all day: renewed each time.
            while harness.clock.now.addingTimeInterval(20 * 60) < end {
                harness.clock.advance(by: 20 * 60)
                let page = await session.get("/ho-so")
                #expect(page.status == 200)
                #expect(page.sessionToken != nil)
                session = session.following(page)
            }
            harness.clock.advance(by: 20 * 60)
            let late = await session.get("/ho-so/tiep-nhan")
            #expect(late.status == 401)
            #expect(late.html.contains("href=\"/dang-nhap?next=%2Fho-so%2Ftiep-nhan\""))
            #expect(late.sessionToken == nil)
        }
    }

    @Test func aPageLeftAloneForMoreThanHalfAnHourAsksToSignInAgain() async throws {
        try await withIntake { harness async throws in
            let session = try await receptionistSignsIn(harness)
            harness.clock.advance(by: 24 * 60)
            let page = await session.get("/ho-so")
            #expect(page.status == 200)
            harness.clock.advance(by: 31 * 60)
            let idle = await session.following(page).get("/ho-so")
            #expect(idle.status == 401)
            #expect(idle.html.contains("Phiên đăng nhập đã hết hạn"))
        }
    }

    @Test func aBearerTokenSixMinutesOldIsRefusedWhileItsSessionLives() async throws {
        try await withIntake { harness async throws in
            try await harness.administrator("quantri", province: province)
            let session = try (try await harness.login("quantri")).decoded(SignedIn.self)
            harness.clock.advance(by: 6 * 60)
            let late = await harness.request("GET", "/api/staff", headers: ["Authorization": "Bearer \(session.token)"])
            #expect(late.status == 401)
            #expect(late.problem?.code == "token_expired")
            #expect(late.sessionToken == nil)
            let refreshed = try await harness.request(
                "POST", "/api/auth/refresh", json: ["refreshToken": session.refreshToken])
            #expect(refreshed.status == 200, "the refresh endpoint is the API client's way on")
        }
    }
}
