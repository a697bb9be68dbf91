import Foundation
import HTTP
@testable import Intake
import ServiceKit
import ServiceTestSupport
import Testing

/// `/api/staff`: who may create, list, disable and reset which accounts.
@Suite struct StaffRoutesTests {
    private let clerk = NewStaff(
        username: "Clerk.Lan", fullName: "Nguyễn Thị Lan", roles: ["receptionist"], password: password)

    /// Registers unit `code` of `province` as that province's admin.
    private func register(_ code: String, in harness: ServiceHarness<IntakeService>) async throws {
        let response = try await harness.request(
            "POST", "/api/units", json: ["code": code, "name": "Phường \(code)"],
            as: .province(.provinceAdmin, code: province))
        guard response.status == 201 else { throw Unexpected(response) }
    }

    @Test func aUnitAdminCannotCreateStaffInAnotherUnitWhileTheProvinceAdminCan() async throws {
        try await withIntake { harness in
            try await harness.administrator("admin", province: province)
            try await register("H01.40.24", in: harness)
            var other = clerk
            other.unitCode = "H01.40.24"
            let byUnitAdmin = try await harness.request("POST", "/api/staff", json: other, as: .staff(.admin))
            #expect(byUnitAdmin.status == 403)
            #expect(byUnitAdmin.problem?.code == "outside_your_units")
            let byOtherProvince = try await harness.request(
                "POST", "/api/staff", json: other, as: .province(.provinceAdmin, code: "79"))
            #expect(byOtherProvince.status == 403)
            let byProvinceAdmin = try await harness.request(
                "POST", "/api/staff", json: other, as: .province(.provinceAdmin, code: province))
            #expect(byProvinceAdmin.status == 201)
            let created = try byProvinceAdmin.decoded(StaffMember.self)
            #expect(
                created.unitCode == "H01.40.24" && created.username == "clerk.lan" && created.roles == ["receptionist"])
            let own = try await harness.request(
                "POST", "/api/staff", json: clerk.renamed("clerk.hoa"), as: .staff(.admin))
            #expect(own.status == 201, "a unit's admin creates staff of its own unit")
            #expect(try own.decoded(StaffMember.self).unitCode == harness.ward)
        }
    }

    @Test func aReceptionistCannotCreateStaff() async throws {
        try await withIntake { harness in
            try await harness.administrator("admin")
            let response = try await harness.request("POST", "/api/staff", json: clerk, as: .staff(.receptionist))
            #expect(response.status == 403)
            #expect(response.problem?.code == "role_required")
            let list = await harness.request("GET", "/api/staff", as: .staff(.leader))
            #expect(list.status == 403)
        }
    }

    @Test func aShortPasswordAndUnknownRolesAre422NamingTheFields() async throws {
        try await withIntake { harness in
            try await harness.administrator("admin")
            var weak = clerk
            weak.password = "ngắn"
            weak.roles = ["receptionist", "wizard"]
            let response = try await harness.request("POST", "/api/staff", json: weak, as: .staff(.admin))
            #expect(response.status == 422)
            let errors = try #require(response.problem?.errors)
            #expect(errors.map(\.field) == ["roles", "password"])
            #expect(errors.last?.code == "password_too_short")
            var provinceRole = clerk
            provinceRole.roles = ["province_admin"]
            let escalation = try await harness.request("POST", "/api/staff", json: provinceRole, as: .staff(.admin))
            #expect(escalation.problem?.errors?.map(\.field) == ["roles"], "a unit account holds no province role")
        }
    }

    @Test func anAccountWithoutUnitCodeJoinsTheDefaultUnitAndAUsernameIsTakenOnce() async throws {
        try await withIntake { harness in
            try await harness.administrator("admin", province: province)
            let created = try await harness.staff("clerk", roles: [.receptionist, .handler])
            #expect(created.unitCode == harness.ward && created.roles == ["handler", "receptionist"])
            let again = try await harness.request(
                "POST", "/api/staff", json: clerk.renamed("CLERK"), as: .province(.provinceAdmin, code: province))
            #expect(again.status == 409)
            #expect(again.problem?.code == "username_taken")
            let unknownUnit = try await harness.request(
                "POST", "/api/staff", json: clerk.renamed("clerk2", unit: "H01.99.99"),
                as: .province(.provinceAdmin, code: province))
            #expect(unknownUnit.status == 422)
            #expect(unknownUnit.problem?.errors?.first?.code == "unknown_unit")
        }
    }

    @Test func aProvinceAdminCreatesProvinceAccountsWithProvinceRolesOnly() async throws {
        try await withIntake { harness in
            try await harness.administrator("admin", province: province)
            let statistician = try await harness.staff(
                "thongke", roles: [.provinceStatistician], unitCode: "province:\(province)")
            #expect(statistician.provinceCode == province)
            let token = try (try await harness.login("thongke")).decoded(SignedIn.self).token
            #expect(try harness.context.tokens.verify(token, now: harness.clock.now).scope == .province(province))
            let byUnitAdmin = try await harness.request(
                "POST", "/api/staff",
                json: clerk.renamed("xyz1", unit: "province:\(province)", roles: ["province_statistician"]),
                as: .staff(.admin))
            #expect(byUnitAdmin.status == 403)
        }
    }

    @Test func theListIsPagedAndShowsOnlyTheAccountsTheAdminManages() async throws {
        try await withIntake { harness in
            try await harness.administrator("admin", province: province)
            try await register("H01.40.24", in: harness)
            for name in ["anh", "binh", "chi"] { try await harness.staff(name, roles: [.handler]) }
            try await harness.staff("dung", roles: [.handler], unitCode: "H01.40.24")
            var names: [String] = []
            var cursor: String?
            repeat {
                let page = try
                    (await harness.request(
                        "GET", "/api/staff?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""),
                        as: .province(.provinceAdmin, code: province))).decoded(PageOf<StaffMember>.self)
                names += page.items.map(\.username)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(names == ["admin", "anh", "binh", "chi", "dung"])
            let unit = try (await harness.request("GET", "/api/staff", as: .staff(.admin, unit: "H01.40.24")))
                .decoded(PageOf<StaffMember>.self)
            #expect(unit.items.map(\.username) == ["dung"])
            let otherProvince = try
                (await harness.request("GET", "/api/staff", as: .province(.provinceAdmin, code: "79")))
                .decoded(PageOf<StaffMember>.self)
            #expect(otherProvince.items.isEmpty)
            #expect(
                !String(decoding: (await harness.request("GET", "/api/staff", as: .staff(.admin))).body, as: UTF8.self)
                    .contains("argon2"))
        }
    }

    @Test func aPasswordResetReplacesThePasswordLiftsTheLockAndEndsTheSessions() async throws {
        try await withIntake { harness in
            try await harness.administrator("admin")
            let created = try (try await harness.request("POST", "/api/staff", json: clerk, as: .staff(.admin)))
                .decoded(StaffMember.self)
            let session = try (try await harness.login("clerk.lan")).decoded(SignedIn.self)
            for _ in 1...5 { _ = try await harness.login("clerk.lan", "mật-khẩu-sai-rồi") }
            let weak = try await harness.request(
                "POST", "/api/staff/\(created.id)/reset-password", json: ["password": "123"], as: .staff(.admin))
            #expect(weak.problem?.errors?.map(\.field) == ["password"])
            let reset = try await harness.request(
                "POST", "/api/staff/\(created.id)/reset-password", json: ["password": "mật-khẩu-mới-đủ-dài"],
                as: .staff(.admin))
            #expect(reset.status == 204)
            #expect(try await harness.login("clerk.lan").status == 401)
            #expect(try await harness.login("clerk.lan", "mật-khẩu-mới-đủ-dài").status == 200)
            let refresh = try await harness.request(
                "POST", "/api/auth/refresh", json: ["refreshToken": session.refreshToken])
            #expect(refresh.status == 401)
            let audited = try await harness.database.pool(maxConnections: 1).query(
                "SELECT actor, action FROM intake.audit_trail WHERE subject = $1 AND action LIKE 'staff.password%'",
                ["staff:\(created.id)"]
            ).single().decode(String.self, String.self)
            #expect(audited == ("staff-1", "staff.password_reset"))
        }
    }

    @Test func anAdminCannotDisableThemselvesNorAnAccountOfAnotherUnit() async throws {
        try await withIntake { harness in
            let admin = try await harness.administrator("admin")
            try await register("H01.40.24", in: harness)
            let me = TestPrincipal.staff(.admin, id: admin.id)
            #expect(await harness.request("POST", "/api/staff/\(admin.id)/disable", as: me).status == 409)
            let elsewhere = await harness.request(
                "POST", "/api/staff/\(admin.id)/disable", as: .staff(.admin, unit: "H01.40.24"))
            #expect(elsewhere.status == 404)
            #expect(await harness.request("POST", "/api/staff/not-an-id/disable", as: me).status == 400)
        }
    }
}

extension NewStaff {
    fileprivate func renamed(_ username: String, unit: String? = nil, roles: [String]? = nil) -> NewStaff {
        NewStaff(username: username, fullName: fullName, roles: roles ?? self.roles, password: password, unitCode: unit)
    }
}
