import Foundation
import HTML
import HTTP
import Testing

/// Fields with their labels, values and the server's messages beside them.
@Suite struct FormTests {
    private let phoneError = FieldError(
        field: "applicant.phone", code: "invalid_format", detail: "Số điện thoại phải gồm 10 chữ số.")

    @Test func fieldErrorIsRenderedBesideItsFieldAndNamedByIt() {
        let form = Form(action: "/ho-so", values: ["applicant.phone": "12<3"], errors: [phoneError])
        let field = form.text("applicant.phone", label: "Số điện thoại", hint: "Ví dụ 0912345678", type: .tel).rendered
        #expect(field.contains("<div class=\"field field--error\">"))
        #expect(field.contains("<label class=\"label\" for=\"f-applicant-phone\">Số điện thoại</label>"))
        #expect(
            field.contains(
                "<p class=\"field-error\" id=\"f-applicant-phone-error\"><span class=\"visually-hidden\">Lỗi: </span>Số điện thoại phải gồm 10 chữ số.</p>"
            ))
        #expect(
            field.contains(
                "<input class=\"input\" id=\"f-applicant-phone\" name=\"applicant.phone\" type=\"tel\" value=\"12&lt;3\" aria-describedby=\"f-applicant-phone-hint f-applicant-phone-error\" aria-invalid=\"true\">"
            ))
        let message = field.range(of: "f-applicant-phone-error\">")!
        let input = field.range(of: "<input")!
        #expect(message.lowerBound < input.lowerBound, "the message comes before the control it explains")
    }

    @Test func fieldWithoutErrorIsNeitherInvalidNorDescribedByAMessage() {
        let form = Form(action: "/ho-so", values: ["applicant.name": "An"], errors: [phoneError])
        let field = form.text("applicant.name", label: "Họ và tên").rendered
        #expect(field.contains("<div class=\"field\">"))
        #expect(!field.contains("aria-invalid"))
        #expect(!field.contains("aria-describedby"))
        #expect(field.contains("value=\"An\""))
    }

    @Test func escapedNameInValueAndErrorCannotBreakOut() {
        let hostile = "\"><script>alert(1)</script>"
        let form = Form(
            action: "/ho-so", values: ["applicant.name": hostile],
            errors: [FieldError(field: "applicant.name", code: "too_long", detail: hostile)])
        let rendered = form.render(submit: "Gửi") { form.text("applicant.name", label: hostile) }.rendered
        #expect(!rendered.contains("<script"))
        #expect(rendered.contains("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""))
    }

    @Test func summaryListsEveryProblemLinkingToItsField() {
        let form = Form(
            action: "/ho-so",
            errors: [phoneError, FieldError(field: "", code: "expired", detail: "Phiên làm việc đã hết hạn.")])
        let summary = form.problemSummary()?.rendered ?? ""
        #expect(summary.contains("role=\"alert\""))
        #expect(summary.contains("có 2 mục cần sửa"))
        #expect(summary.contains("<li><a href=\"#f-applicant-phone\">Số điện thoại phải gồm 10 chữ số.</a></li>"))
        #expect(summary.contains("<li>Phiên làm việc đã hết hạn.</li>"))
        #expect(Form(action: "/ho-so").problemSummary() == nil)
    }

    @Test func formCarriesTheCallersCSRFTokenAndPostsToItsAction() {
        let form = Form(action: "/ho-so?b=1&c=2", csrfToken: "a\"b")
        let rendered = form.render(submit: "Tiếp nhận") { form.hidden("step", value: "2") }.rendered
        #expect(rendered.hasPrefix("<form class=\"form\" method=\"post\" action=\"/ho-so?b=1&amp;c=2\" novalidate>"))
        #expect(rendered.contains("<input type=\"hidden\" name=\"_csrf\" value=\"a&quot;b\">"))
        #expect(rendered.contains("<input type=\"hidden\" name=\"step\" value=\"2\">"))
        #expect(rendered.contains("<button class=\"button\" type=\"submit\">Tiếp nhận</button>"))
        #expect(!Form(action: "/").render(submit: "Gửi") { [] }.rendered.contains("_csrf"))
    }

    @Test func selectMarksTheCurrentValueAndTextAreaShowsItsText() {
        let form = Form(action: "/", values: ["channel": "post", "note": "<b>gấp</b>"])
        let select = form.select(
            "channel", label: "Kênh",
            options: [SelectOption("counter", label: "Tại quầy"), SelectOption("post", label: "Bưu chính")]
        ).rendered
        #expect(
            select.contains(
                "<option value=\"counter\">Tại quầy</option><option value=\"post\" selected>Bưu chính</option>"))
        #expect(form.textArea("note", label: "Ghi chú").rendered.contains(">\n&lt;b&gt;gấp&lt;/b&gt;</textarea>"))
    }

    @Test func passwordIsNeverShownBack() {
        let form = Form(action: "/dang-nhap", values: ["password": "bí mật"])
        #expect(!form.text("password", label: "Mật khẩu", type: .password).rendered.contains("value="))
    }

    @Test func fieldIdsAreSafeForSelectorsAndFragments() {
        #expect(Form.id("applicant.phone") == "f-applicant-phone")
        #expect(Form.id("items[0].name") == "f-items-0--name")
        #expect(Form.id("họ tên") == "f-h--t-n")
    }
}
