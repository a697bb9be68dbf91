import Foundation
import HTML
import HTTP
import Testing

/// The shared page frame and the headers pages are served with.
@Suite struct LayoutTests {
    private let layout = Layout(
        unitName: "UBND phường Bến Thành", serviceName: "Tiếp nhận hồ sơ",
        navigation: [NavigationItem("Tiếp nhận", path: "/tiep-nhan"), NavigationItem("Hồ sơ của tôi", path: "/ho-so")])

    @Test func pageIsVietnameseWithCharsetViewportTitleAndTheSharedStylesheet() {
        let page = layout.page(title: "Tiếp nhận <hồ sơ>", main: "<p>Nội dung</p>").rendered
        #expect(page.hasPrefix("<!DOCTYPE html>\n<html lang=\"vi\">"))
        #expect(page.contains("<meta charset=\"utf-8\">"))
        #expect(page.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"))
        #expect(page.contains("<title>Tiếp nhận &lt;hồ sơ&gt; – Tiếp nhận hồ sơ – UBND phường Bến Thành</title>"))
        #expect(page.contains("<link rel=\"stylesheet\" href=\"/assets/motcua.css\">"))
        #expect(page.contains("<a class=\"skip-link\" href=\"#noi-dung\">"))
        #expect(page.contains("<main id=\"noi-dung\""))
        #expect(page.contains("<p class=\"site-unit\">UBND phường Bến Thành</p>"))
        #expect(page.contains("<footer"))
    }

    @Test func currentNavigationItemIsMarkedForAssistiveTechnology() {
        let page = layout.page(title: "Hồ sơ", currentPath: "/ho-so", main: .empty).rendered
        #expect(page.contains("<li><a href=\"/ho-so\" aria-current=\"page\">Hồ sơ của tôi</a></li>"))
        #expect(page.contains("<li><a href=\"/tiep-nhan\">Tiếp nhận</a></li>"))
        #expect(page.components(separatedBy: "aria-current").count == 2)
    }

    @Test func pageMarkupNeedsNoInlineStyleOrScriptSoTheStrictPolicyHolds() {
        let form = Form(
            action: "/tiep-nhan", values: ["applicant.name": "An"],
            errors: [FieldError(field: "applicant.phone", code: "invalid_format", detail: "Sai số điện thoại.")],
            csrfToken: "t0k3n")
        let main = form.render(submit: "Gửi") {
            form.text("applicant.name", label: "Họ và tên")
            form.text("applicant.phone", label: "Số điện thoại", type: .tel)
            form.select("channel", label: "Kênh", options: [SelectOption("counter", label: "Tại quầy")])
            form.textArea("note", label: "Ghi chú")
        }
        let page = layout.page(title: "Tiếp nhận", main: main).rendered.lowercased()
        for forbidden in ["<script", "style=", "<style", " on", "javascript:"] {
            #expect(!page.contains(forbidden), "found \(forbidden)")
        }
    }

    @Test func pageResponseCarriesTheStrictSecurityHeaders() {
        let response = Response.page(layout.page(title: "Tiếp nhận", main: .empty), status: 422)
        #expect(response.status == 422)
        #expect(response.headers["Content-Type"] == "text/html; charset=utf-8")
        #expect(
            response.headers["Content-Security-Policy"]
                == "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        )
        #expect(response.headers["X-Content-Type-Options"] == "nosniff")
        #expect(response.headers["Referrer-Policy"] == "same-origin")
        #expect(String(decoding: response.body, as: UTF8.self).contains("<html lang=\"vi\">"))
    }

    @Test func stylesheetIsServedAsCSSAtItsFixedPath() {
        let response = Stylesheet.response()
        #expect(Stylesheet.path == "/assets/motcua.css")
        #expect(response.headers["Content-Type"] == "text/css; charset=utf-8")
        #expect(response.headers["X-Content-Type-Options"] == "nosniff")
        let css = String(decoding: response.body, as: UTF8.self)
        for rule in [":focus-visible", "@media print", "size: A4", ".deadline--overdue", ".field-error"] {
            #expect(css.contains(rule), "missing \(rule)")
        }
    }
}
