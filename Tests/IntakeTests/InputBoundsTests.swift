import Foundation
import HTTP
import PostgresTestSupport
import ServiceKit
import ServiceTestSupport
import Testing

/// Outside input at its edges (numbers too large, negative or not numbers, huge strings, wrong types,
/// NUL characters): always a 4xx naming what is wrong, never a crash or a 500.
@Suite struct InputBoundsTests {
    /// The lists with a cursor, and who may read each.
    private let lists: [(path: String, principal: TestPrincipal)] = [
        ("/api/dossiers", receptionist), ("/api/procedures", receptionist),
        ("/api/staff", .province(.provinceAdmin, code: province)),
        ("/api/units", .province(.provinceAdmin, code: province)),
    ]

    /// Numbers and non-numbers a client may put wherever a number goes.
    private static let edgeNumbers = [
        "1e300", "-1e300", "1e13", "-1e13", "-1", "0", "9223372036854775808", "-9223372036854775809", "1.5",
        "\"NaN\"", "\"Infinity\"", "\"1e13\"", String(repeating: "9", count: 5000), "null", "true", "[]", "{}",
    ]

    private static func cursor(_ json: String) -> String { Base64URL.encode(Data(json.utf8)) }

    private static var edgeCursors: [String] {
        var jsons = [
            #"{"rank":0,"dueAt":1e13,"code":"x"}"#, #"{"rank":0,"dueAt":0,"code":"x\u0000y"}"#, #""x\u0000""#,
            #"{"name":"a","code":"\u0000"}"#,
            "{\"rank\":0,\"dueAt\":0,\"code\":\"\(String(repeating: "x", count: 100_000))\"}",
        ]
        for number in edgeNumbers {
            jsons += [
                #"{"rank":0,"dueAt":\#(number),"code":"x"}"#, #"{"rank":\#(number),"dueAt":0,"code":"x"}"#,
                #"{"rank":0,"dueAt":0,"code":\#(number)}"#, #"{"name":\#(number),"code":"x"}"#, number,
            ]
        }
        return jsons.map(cursor) + ["", "!!!", "%00", String(repeating: "A", count: 100_000)]
    }

    @Test func theIssuesCursorIsA400InvalidCursorAndIntakeKeepsServing() async throws {
        try await withIntake { harness in
            let cursor = Self.cursor(#"{"rank":0,"dueAt":1e13,"code":"x"}"#)
            let answer = await harness.request("GET", "/api/dossiers?cursor=\(cursor)", as: receptionist)
            #expect(answer.status == 400)
            #expect(answer.problem?.code == "invalid_cursor")
            #expect(await harness.request("GET", "/api/dossiers", as: receptionist).status == 200)
        }
    }

    @Test func edgeValuesInEveryCursorAreA400InvalidCursorOrAPage() async throws {
        try await withIntake { harness in
            try await harness.administrator("qtv", province: province)
            for list in lists {
                for cursor in Self.edgeCursors {
                    let answer = await harness.request(
                        "GET", "\(list.path)?cursor=\(cursor)", as: list.principal)
                    // A cursor that decodes to a key of the right type is only a position: a page. One
                    // holding a NUL or over TextInput's bound is refused as any parameter is: a 422.
                    let fine =
                        answer.status == 200 || (answer.status == 400 && answer.problem?.code == "invalid_cursor")
                        || (answer.status == 422 && answer.problem?.errors?.map(\.field) == ["cursor"])
                    let seen = "\(list.path) \(cursor.prefix(80)): \(answer.status) \(answer.problem?.code ?? "")"
                    #expect(fine, "\(seen)")
                }
                let position = Self.cursor(#"{"rank":0,"dueAt":1e13,"code":"x"}"#)
                if list.path == "/api/dossiers" {
                    let answer = await harness.request("GET", "\(list.path)?cursor=\(position)", as: list.principal)
                    #expect(answer.problem?.code == "invalid_cursor")
                }
            }
        }
    }

    @Test func edgeValuesInEveryNumberAndDateParameterAreA400NamingIt() async throws {
        try await withIntake { harness in
            try await harness.administrator("qtv", province: province)
            let numbers = Self.edgeNumbers + ["NaN", "inf", " 5", "5 ", "0x10", "+0", "201"]
            for list in lists {
                for number in numbers {
                    let answer = await harness.request(
                        "GET", "\(list.path)?limit=\(Self.escaped(number))", as: list.principal)
                    #expect(answer.status == 400, "\(list.path) limit=\(number.prefix(40))")
                    #expect(answer.problem?.code == "invalid_parameter")
                }
            }
            let dates = numbers + ["0000-01-01", "10000-01-01", "+123-01-01", "-001-01-01", "2026-02-30", "2026-13-01"]
            for name in ["from", "to"] {
                for date in dates {
                    let answer = await harness.request(
                        "GET", "/api/dossiers?\(name)=\(Self.escaped(date))", as: receptionist)
                    #expect(answer.status == 400, "\(name)=\(date.prefix(40)): \(answer.status)")
                    #expect(answer.problem?.code == "invalid_parameter")
                }
            }
        }
    }

    @Test func aNulInAnyFieldOrParameterIsA422NamingItAndNoCCCDReachesPostgresLog() async throws {
        try await withIntake { harness in
            let cccd = "0012030\(Int.random(in: 10_000...99_999))"
            for (field, body) in [
                ("applicant.fullName", receiptBody(name: "Nguyễn\u{0}An", cccd: cccd)),
                ("applicant.cccd", receiptBody(cccd: cccd + "\u{0}")),
                ("components[0].code", receiptBody(cccd: cccd, components: [["code": "T\u{0}K"]])),
            ] {
                let answer = try await harness.request("POST", "/api/dossiers", json: body, as: receptionist)
                #expect(answer.status == 422, "\(field)")
                #expect(answer.problem?.errors?.map(\.field) == [field])
                #expect(answer.problem?.errors?.first?.code == "nul_character")
            }
            // A form goes to the citizens' page (the JSON API takes JSON only).
            let form = await harness.request(
                "POST", "/nop-truc-tuyen",
                body: Array("procedureCode=1.001193&applicant.fullName=An%00&applicant.cccd=\(cccd)".utf8),
                headers: ["Content-Type": "application/x-www-form-urlencoded"])
            #expect(form.status == 422)
            #expect(form.html.contains("applicant.fullName: Trường này chứa ký tự NUL"))
            let query = await harness.request("GET", "/api/dossiers?procedure=1.0%00", as: receptionist)
            #expect(query.status == 422)
            #expect(query.problem?.errors?.map(\.field) == ["procedure"])
            let path = await harness.request("GET", "/api/procedures/1.0\u{0}01193", as: receptionist)
            #expect(path.status == 422)
            #expect(path.problem?.errors?.map(\.field) == ["code"])
            #expect(!(try TestDatabase.serverLog()).contains(cccd))
        }
    }

    @Test func everyTextFieldOfAReceiptIsBoundedAndAMegabyteAddressIsRefused() async throws {
        try await withIntake { harness in
            func applicant(_ field: String, _ value: String) -> [String: AnyJSON] {
                var body = receiptBody()
                guard case .object(var applicant) = body["applicant"] else { return body }
                applicant[field] = .string(value)
                body["applicant"] = .object(applicant)
                return body
            }
            for (field, body, code) in [
                ("applicant.address", applicant("address", String(repeating: "Hàng Bạc ", count: 80_000)), "too_long"),
                ("applicant.address", applicant("address", String(repeating: "a", count: 501)), "too_long"),
                ("applicant.fullName", applicant("fullName", String(repeating: "a", count: 201)), "too_long"),
                ("applicant.email", applicant("email", String(repeating: "a", count: 250) + "@x.vn"), "invalid_format"),
                ("procedureCode", receiptBody(procedure: String(repeating: "1", count: 65)), "too_long"),
                (
                    "components[1].documentId",
                    receiptBody(components: [
                        ["code": "TK"], ["code": "GCS", "documentId": String(repeating: "d", count: 201)],
                    ]),
                    "too_long"
                ),
            ] {
                let answer = try await harness.request("POST", "/api/dossiers", json: body, as: receptionist)
                #expect(answer.status == 422, "\(field)")
                #expect(answer.problem?.errors?.map(\.field) == [field], "\(field)")
                #expect(answer.problem?.errors?.first?.code == code, "\(field)")
                #expect(answer.body.count < 2000, "the answer does not echo the value")
            }
            let note = await harness.request(
                "POST", "/api/dossiers/H01.40.23-260101-0001/exclude-delay",
                body: Array(#"{"cause":"force_majeure","note":"\#(String(repeating: "n", count: 1001))"}"#.utf8),
                headers: ["Content-Type": "application/json"], as: leader)
            #expect(note.status == 422)
            #expect(note.problem?.errors?.map(\.field) == ["note"])
        }
    }

    private static func escaped(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}
