import Foundation
import HTTP
import Testing

/// Form posts, multipart uploads and cookies, decoded in process.
@Suite struct FormTests {
    private struct Application: Decodable, Equatable {
        struct Applicant: Decodable, Equatable {
            let fullName: String
            let phone: String?
            let birthYear: Int?
        }
        enum Channel: String, Decodable { case counter, online }
        let applicant: Applicant
        let procedureCode: String
        let documents: [String]
        let channel: Channel
        let urgent: Bool
        let note: String?
        let receivedOn: Date?
    }

    private func formRequest(_ body: String) -> Request {
        Request(
            method: "POST", path: "/applications",
            headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"], body: Array(body.utf8),
            requestId: "t")
    }

    @Test func formPostDecodesNestedNamesRepeatedNamesAndEmptyOptionals() throws {
        let request = formRequest(
            "applicant.fullName=Nguy%E1%BB%85n+V%C4%83n+An&applicant.phone=&applicant.birthYear=1990"
                + "&procedureCode=1.001&documents=cccd&documents=ho_khau&channel=counter&urgent=on&note=&receivedOn=2025-11-24"
        )
        let application = try request.decodeForm(Application.self)
        #expect(application.applicant == .init(fullName: "Nguyễn Văn An", phone: nil, birthYear: 1990))
        #expect(application.documents == ["cccd", "ho_khau"])
        #expect(application.channel == .counter)
        #expect(application.urgent)
        #expect(application.note == nil)
        #expect(application.receivedOn == Date(timeIntervalSince1970: 1_763_942_400))
        #expect(try request.form().values("documents") == ["cccd", "ho_khau"])
        #expect(try request.form()["applicant.fullName"] == "Nguyễn Văn An")
    }

    @Test func formFieldThatIsMissingOrMalformedIsA400NamingIt() throws {
        let missing = #expect(throws: ProblemError.self) {
            try formRequest("procedureCode=1.001&channel=counter&urgent=off").decodeForm(Application.self)
        }
        #expect(missing?.code == "malformed_form")
        #expect(missing?.detail.contains("\"applicant.fullName\"") == true)

        let malformed = #expect(throws: ProblemError.self) {
            try formRequest("applicant.fullName=An&applicant.birthYear=199O&procedureCode=1&channel=counter&urgent=1")
                .decodeForm(Application.self)
        }
        #expect(malformed?.detail.contains("\"applicant.birthYear\"") == true)
    }

    @Test func formPostThroughTheResponder() async throws {
        struct Login: Decodable { let username: String }
        let router = Router<Void>()
        router.post("/applications") { request, _ in .text(try request.decodeForm(Login.self).username) }
        let response = await router.responder { _ in () }.respond(to: formRequest("username=can.bo%401"))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "can.bo@1")
    }

    @Test func multipartUploadGivesEachPartWithNameFilenameTypeAndBytes() async throws {
        let pdf: [UInt8] = [0x25, 0x50, 0x44, 0x46, 0x0D, 0x0A, 0x2D, 0x2D, 0x00, 0xFF]
        let body =
            Array(
                ("--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nGiấy khai sinh\r\n"
                    + "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"khai sinh.pdf\"\r\n"
                    + "Content-Type: application/pdf\r\n\r\n").utf8) + pdf + Array("\r\n--XyZ--\r\n".utf8)
        let router = Router<Void>()
        router.post("/documents") { request, _ in
            let parts = try await request.multipart()
            #expect(parts.map(\.name) == ["title", "file"])
            #expect(parts[0].text == "Giấy khai sinh")
            #expect(parts[0].filename == nil)
            #expect(parts[1].filename == "khai sinh.pdf")
            #expect(parts[1].contentType == "application/pdf")
            #expect(parts[1].body == pdf)
            return .noContent
        }
        let request = Request(
            method: "POST", path: "/documents", headers: ["Content-Type": "multipart/form-data; boundary=\"XyZ\""],
            body: body, requestId: "t")
        #expect(await router.responder { _ in () }.respond(to: request).status == 204)
    }

    @Test func truncatedMultipartIsA400() async throws {
        let request = Request(
            method: "POST", path: "/documents", headers: ["Content-Type": "multipart/form-data; boundary=XyZ"],
            body: Array("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end".utf8), requestId: "t")
        let error = await #expect(throws: ProblemError.self) { try await request.multipart() }
        #expect(error?.code == "malformed_multipart")
    }

    @Test func cookiesAreReadByNameAndSetWithTheirAttributes() {
        let request = Request(
            method: "GET", path: "/", headers: ["Cookie": "lang=vi; session=\"abc.def\""], requestId: "t")
        #expect(request.cookies["session"] == "abc.def")
        #expect(request.cookies["lang"] == "vi")
        #expect(request.cookies["missing"] == nil)

        var response = Response.noContent
        response.setCookie("session", "tok_123", maxAge: 900)
        response.setCookie("lang", "vi", path: "/public", secure: false, httpOnly: false, sameSite: .lax)
        #expect(
            response.headers.values("Set-Cookie") == [
                "session=tok_123; Path=/; Max-Age=900; Secure; HttpOnly; SameSite=Strict",
                "lang=vi; Path=/public; SameSite=Lax",
            ])
    }
}
